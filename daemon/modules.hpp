#pragma once
#include <span>

#include "store/migrations.hpp"

namespace fulfil::daemon {

// Every module's own tables, in the order their migrations apply (after the store's).
// A new module with tables adds one line here.
std::span<const store::MigrationSet> module_migrations();

// Brings the store and every module's tables up to date.
Result<int> migrate_all(store::Connection& conn);

}  // namespace fulfil::daemon
