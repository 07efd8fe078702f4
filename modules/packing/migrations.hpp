#pragma once
#include "store/migrations.hpp"

namespace fulfil::packing {

// The pack station's tables: pack_work (the station holding a parcel, its weight, when it
// was packed) and pack_lines (what was verified of each line, or why it is short).
store::MigrationSet migration_set();

}  // namespace fulfil::packing
