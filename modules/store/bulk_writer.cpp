#include "store/bulk_writer.hpp"

#include "store/pg_copy.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdexcept>

namespace fulfil::store {

namespace {
// PostgreSQL allows 65,535 parameters per statement; stay clear of it.
constexpr std::size_t k_pg_max_params = 60000;
// From this many rows COPY (three round trips with a staging table) beats one multi-row
// INSERT whose parameters the server parses and binds one by one.
constexpr std::size_t k_pg_copy_min_rows = 32;
}  // namespace

void BulkWriter::insert(std::string_view table, std::span<const std::string_view> columns,
                        std::span<const SqlValue> values, std::string_view suffix) {
  if (values.empty()) return;
  if (values.size() % columns.size() != 0)
    throw std::logic_error("bulk insert into " + std::string(table) + ": ragged rows");
  std::string head = "INSERT INTO " + std::string(table) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) head += ", ";
    head += columns[i];
  }
  head += ") VALUES ";
  if (m_conn.dialect() == Dialect::sqlite) {
    std::string sql = head + "(";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    sql += ") ";
    sql += suffix;
    insert_sqlite(sql, columns.size(), values);
  } else if (values.size() / columns.size() >= k_pg_copy_min_rows) {
    pg_copy_insert(m_conn.native_handle(), table, columns, values, suffix);
  } else {
    insert_postgresql(head, columns.size(), values, suffix);
  }
}

void BulkWriter::insert_sqlite(const std::string& sql, std::size_t ncols,
                               std::span<const SqlValue> values) {
  auto* db = static_cast<sqlite3*>(m_conn.native_handle());
  auto* stmt = static_cast<sqlite3_stmt*>(m_conn.prepared_sqlite(sql));
  for (std::size_t row = 0; row < values.size() / ncols; ++row) {
    for (std::size_t col = 0; col < ncols; ++col) {
      const SqlValue& v = values[row * ncols + col];
      int idx = static_cast<int>(col + 1);
      if (auto* i = std::get_if<std::int64_t>(&v))
        sqlite3_bind_int64(stmt, idx, *i);
      else if (auto* s = std::get_if<std::string_view>(&v))
        sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      else
        sqlite3_bind_null(stmt, idx);
    }
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db);
      sqlite3_clear_bindings(stmt);
      throw std::runtime_error("insert: " + msg);
    }
  }
  sqlite3_clear_bindings(stmt);
}

void BulkWriter::insert_postgresql(std::string_view head, std::size_t ncols,
                                   std::span<const SqlValue> values, std::string_view suffix) {
  auto* pg = static_cast<PGconn*>(m_conn.native_handle());
  const std::size_t rows_per_statement = std::max<std::size_t>(1, k_pg_max_params / ncols);
  const std::size_t total_rows = values.size() / ncols;
  std::vector<std::string> texts;
  std::vector<const char*> params;
  for (std::size_t first = 0; first < total_rows; first += rows_per_statement) {
    std::size_t rows = std::min(rows_per_statement, total_rows - first);
    std::string sql(head);
    texts.clear();
    texts.reserve(rows * ncols);
    params.clear();
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      sql += r ? ",(" : "(";
      for (std::size_t c = 0; c < ncols; ++c) {
        if (c) sql += ',';
        sql += '$';
        sql += std::to_string(++n);
        const SqlValue& v = values[(first + r) * ncols + c];
        if (auto* i = std::get_if<std::int64_t>(&v)) {
          texts.push_back(std::to_string(*i));
          params.push_back(nullptr);  // filled below: texts may reallocate meanwhile
        } else if (auto* s = std::get_if<std::string_view>(&v)) {
          texts.emplace_back(*s);
          params.push_back(nullptr);
        } else {
          texts.emplace_back();
          params.push_back(reinterpret_cast<const char*>(1));  // marks NULL
        }
      }
      sql += ')';
    }
    sql += ' ';
    sql += suffix;
    for (std::size_t i = 0; i < params.size(); ++i)
      params[i] = params[i] ? nullptr : texts[i].c_str();
    PGresult* res = PQexecParams(pg, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                 params.data(), nullptr, nullptr, 0);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    std::string msg = ok ? "" : PQresultErrorMessage(res);
    PQclear(res);
    if (!ok) throw std::runtime_error("insert: " + msg);
  }
}

}  // namespace fulfil::store
