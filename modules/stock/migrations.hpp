#pragma once
#include "store/migrations.hpp"

namespace fulfil::stock {

store::MigrationSet migration_set();

}  // namespace fulfil::stock
