#pragma once
#include <span>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace fulfil::store {

// One schema change. In statements, {id} becomes the dialect's auto-increment key.
struct Migration {
  int version;
  const char* description;
  std::vector<const char*> statements;
};

// A module's own tables: the module names itself and lists its migrations, append only.
// The store's migrations run first; each module's run in order after them, recorded per
// module, so a module owns its schema without a central list.
struct MigrationSet {
  std::string_view module;
  const std::vector<Migration>* migrations;
};

// The schema version of the store's own tables this build expects.
int latest_schema_version();

// Applies every migration newer than the database's version (the store's own, then each
// module's), each in its own transaction. Safe when several daemons start at once
// (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE). A database newer than this build
// is refused, naming the module. Returns the store's version now in force.
Result<int> migrate(Connection& c, std::span<const MigrationSet> modules = {});

// The version recorded in the database (0 when none), checking the store answers at all.
Result<int> current_schema_version(Connection& c);

}  // namespace fulfil::store
