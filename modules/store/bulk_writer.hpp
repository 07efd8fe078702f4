#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/database.hpp"

namespace fulfil::store {

// One value to write: NULL, an integer or text (the text must outlive the write call).
using SqlValue = std::variant<std::monostate, std::int64_t, std::string_view>;

// Writes many rows in few round trips, through the native driver. SOCI 4.0's PostgreSQL
// bulk path sends one statement per row (about 20x slower than COPY here), so PostgreSQL
// gets COPY for batches of 32 rows or more (through a staging table when there is an ON
// CONFLICT clause) and multi-row INSERTs below that; SQLite gets one cached
// prepared statement stepped per row, which is the fastest path in-process.
class BulkWriter {
 public:
  explicit BulkWriter(Connection& c) : m_conn(c) {}
  BulkWriter(const BulkWriter&) = delete;
  BulkWriter& operator=(const BulkWriter&) = delete;

  // Inserts values.size()/columns.size() rows into table; `suffix` is appended to each
  // statement (an ON CONFLICT clause). Throws soci::soci_error-compatible std::runtime_error.
  void insert(std::string_view table, std::span<const std::string_view> columns,
              std::span<const SqlValue> values, std::string_view suffix = {});

 private:
  void insert_sqlite(const std::string& sql, std::size_t ncols, std::span<const SqlValue> values);
  void insert_postgresql(std::string_view head, std::size_t ncols, std::span<const SqlValue> values,
                         std::string_view suffix);
  Connection& m_conn;
};

}  // namespace fulfil::store
