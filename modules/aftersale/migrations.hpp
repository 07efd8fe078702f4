#pragma once
#include "store/migrations.hpp"

namespace fulfil::aftersale {

// The after-sale module's tables: returns, return_lines, exchanges, slips, outbox.
store::MigrationSet migration_set();

}  // namespace fulfil::aftersale
