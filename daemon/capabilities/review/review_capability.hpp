#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Review (审单): [review], the review pass, review/parcel/stock routes and the roles a
// person has by the config; the review and stock commands.
std::unique_ptr<Capability> make_review_capability();

}  // namespace fulfil::daemon
