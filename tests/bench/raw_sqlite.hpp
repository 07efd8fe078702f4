#pragma once
// The raw limit of the store benchmarks: rows a fulfild run wrote, copied out of its SQLite
// file and inserted again into the same schema with the bare sqlite3 C API.
#include <sqlite3.h>

#include <string>
#include <vector>

namespace fulfil::bench {

// Exits the benchmark with sqlite's message when `rc` is an error.
void check(int rc, sqlite3* db, const char* what);

// One table's rows, copied out of the synced store: the raw run writes exactly these.
struct TableRows {
  std::string name;
  int columns = 0;
  std::vector<int> types;           // per value: SQLITE_INTEGER, SQLITE_TEXT or SQLITE_NULL
  std::vector<sqlite3_int64> ints;  // per value
  std::vector<std::string> texts;   // per value
};

TableRows load(sqlite3* db, const std::string& table);

// Inserts the rows with prepared statements, 10,000 trades' worth per transaction, into the
// database at `path`; returns the seconds it took.
double raw_insert(const std::string& path, const std::vector<TableRows>& tables,
                  std::size_t trades);

// The raw limit of a run: the trades, lines and events fulfild wrote into the SQLite file
// `synced`, inserted again by raw_insert into a fresh store at `raw` with the same schema and
// indexes. Returns the seconds and the lines per trade; exits on a store error.
struct RawRun {
  double seconds = 0;
  double lines_per_trade = 0;
};
RawRun raw_insert_as_synced(const std::string& synced, const std::string& raw, std::size_t trades);

}  // namespace fulfil::bench
