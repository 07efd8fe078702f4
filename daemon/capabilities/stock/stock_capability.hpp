#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

std::unique_ptr<Capability> make_stock_capability();

}  // namespace fulfil::daemon
