#pragma once
#include "store/migrations.hpp"

namespace fulfil::identity {

// The identity module's tables: users, api_tokens, audit_log, sessions,
// login_failures.
store::MigrationSet migration_set();

}  // namespace fulfil::identity
