#include "raw_sqlite.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "modules.hpp"
#include "store/database.hpp"

namespace fulfil::bench {

using Clock_ = std::chrono::steady_clock;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

TableRows load(sqlite3* db, const std::string& table) {
  TableRows t;
  t.name = table;
  sqlite3_stmt* st;
  check(sqlite3_prepare_v2(db, ("SELECT * FROM " + table).c_str(), -1, &st, nullptr), db, "select");
  t.columns = sqlite3_column_count(st);
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int c = 0; c < t.columns; ++c) {
      int type = sqlite3_column_type(st, c);
      t.types.push_back(type == SQLITE_INTEGER ? SQLITE_INTEGER
                        : type == SQLITE_NULL  ? SQLITE_NULL
                                               : SQLITE_TEXT);
      t.ints.push_back(sqlite3_column_int64(st, c));
      t.texts.emplace_back(
          type == SQLITE_TEXT ? reinterpret_cast<const char*>(sqlite3_column_text(st, c)) : "");
    }
  }
  sqlite3_finalize(st);
  return t;
}

double raw_insert(const std::string& path, const std::vector<TableRows>& tables,
                  std::size_t trades) {
  sqlite3* db;
  check(sqlite3_open(path.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
                     nullptr),
        db, "pragma");
  auto start = Clock_::now();
  std::vector<sqlite3_stmt*> stmts;
  for (const auto& t : tables) {
    std::string sql = "INSERT INTO " + t.name + " VALUES (";
    for (int c = 0; c < t.columns; ++c) sql += c ? ",?" : "?";
    sqlite3_stmt* st;
    check(sqlite3_prepare_v2(db, (sql + ")").c_str(), -1, &st, nullptr), db, "prepare");
    stmts.push_back(st);
  }
  const std::size_t batches = (trades + 9999) / 10000;
  for (std::size_t b = 0; b < batches; ++b) {
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    for (std::size_t ti = 0; ti < tables.size(); ++ti) {
      const auto& t = tables[ti];
      const std::size_t rows = t.types.size() / t.columns;
      // Each table's rows are spread evenly over the batches.
      const std::size_t from = rows * b / batches, to = rows * (b + 1) / batches;
      for (std::size_t r = from; r < to; ++r) {
        for (int c = 0; c < t.columns; ++c) {
          std::size_t i = r * t.columns + c;
          if (t.types[i] == SQLITE_INTEGER)
            sqlite3_bind_int64(stmts[ti], c + 1, t.ints[i]);
          else if (t.types[i] == SQLITE_NULL)
            sqlite3_bind_null(stmts[ti], c + 1);
          else
            sqlite3_bind_text(stmts[ti], c + 1, t.texts[i].data(),
                              static_cast<int>(t.texts[i].size()), SQLITE_STATIC);
        }
        check(sqlite3_step(stmts[ti]), db, "insert");
        sqlite3_reset(stmts[ti]);
      }
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }
  double secs = std::chrono::duration<double>(Clock_::now() - start).count();
  for (auto* st : stmts) sqlite3_finalize(st);
  sqlite3_close(db);
  return secs;
}

RawRun raw_insert_as_synced(const std::string& synced, const std::string& raw, std::size_t trades) {
  sqlite3* db;
  check(sqlite3_open(synced.c_str(), &db), db, "open");
  std::vector<TableRows> tables = {load(db, "trades"), load(db, "trade_lines"),
                                   load(db, "order_events")};
  sqlite3_close(db);
  std::filesystem::remove(raw);
  {  // The same schema, indexes and all: the raw run writes what fulfild writes.
    auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + raw),
                                        store::Durability::relaxed);
    if (!conn || !daemon::migrate_all(**conn)) {
      std::fprintf(stderr, "cannot make the raw store %s\n", raw.c_str());
      std::exit(1);
    }
  }
  const double lines = static_cast<double>(tables[1].types.size() / tables[1].columns);
  return {raw_insert(raw, tables, trades), lines / static_cast<double>(trades)};
}

}  // namespace fulfil::bench
