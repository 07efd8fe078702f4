#pragma once
#include "store/migrations.hpp"

namespace fulfil::picking {

store::MigrationSet migration_set();

}  // namespace fulfil::picking
