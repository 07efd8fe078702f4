#pragma once
#include "store/database.hpp"

namespace fulfil::store {

// The schema version this build expects.
int latest_schema_version();

// Applies every migration newer than the database's version, each in its own transaction,
// recording it in schema_migrations. Safe when several daemons start at once (PostgreSQL:
// advisory lock; SQLite: BEGIN IMMEDIATE). Returns the version now in force.
Result<int> migrate(Connection& c);

// The version recorded in the database (0 when none), checking the store answers at all.
Result<int> current_schema_version(Connection& c);

}  // namespace fulfil::store
