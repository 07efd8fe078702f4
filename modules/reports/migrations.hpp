#pragma once
#include "store/migrations.hpp"

namespace fulfil::reports {

// The indexes the searches need on other modules' tables (a parcel by serial, a trade by
// receiver name).
store::MigrationSet migration_set();

}  // namespace fulfil::reports
