#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Printing: [printing], the printer pool (started before the port, made afresh on reload),
// the printing job, printer and label routes; the label and printer commands.
std::unique_ptr<Capability> make_printing_capability();

}  // namespace fulfil::daemon
