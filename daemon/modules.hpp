#pragma once
#include <span>

#include "store/migrations.hpp"

namespace fulfil::daemon {

// Every capability's own tables, in the order of the capability list (capabilities.cpp),
// applied after the store's.
std::span<const store::MigrationSet> module_migrations();

// Brings the store and every module's tables up to date.
Result<int> migrate_all(store::Connection& conn);

}  // namespace fulfil::daemon
