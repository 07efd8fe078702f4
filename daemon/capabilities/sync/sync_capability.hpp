#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Sync: the order sources ([sync], [[shops]]): platform sync and CSV inbox jobs, nightly
// reconcile, shops and quarantine routes, the shops of /healthz; sync, import-csv, reconcile.
std::unique_ptr<Capability> make_sync_capability();

}  // namespace fulfil::daemon
