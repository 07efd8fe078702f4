#include "store/pg_copy.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <functional>
#include <stdexcept>

namespace fulfil::store {

namespace {

// Runs SQL without parameters; throws with the server's message.
void exec(PGconn* pg, const std::string& sql) {
  PGresult* res = PQexec(pg, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  if (!ok) throw std::runtime_error("insert: " + msg);
}

void copy_rows(PGconn* pg, const std::string& target, std::size_t ncols,
               std::span<const SqlValue> values) {
  PGresult* res = PQexec(pg, ("COPY " + target + " FROM STDIN").c_str());
  const bool started = PQresultStatus(res) == PGRES_COPY_IN;
  std::string msg = started ? "" : PQresultErrorMessage(res);
  PQclear(res);
  if (!started) throw std::runtime_error("copy: " + msg);
  constexpr std::size_t k_chunk = 1 << 18;  // bytes handed to libpq at a time
  std::string buf;
  buf.reserve(k_chunk + 4096);
  bool sent = true;
  for (std::size_t i = 0; i < values.size() && sent; ++i) {
    append_copy_value(buf, values[i]);
    buf += (i + 1) % ncols ? '\t' : '\n';
    if (buf.size() >= k_chunk) {
      sent = PQputCopyData(pg, buf.data(), static_cast<int>(buf.size())) == 1;
      buf.clear();
    }
  }
  if (sent && !buf.empty()) sent = PQputCopyData(pg, buf.data(), static_cast<int>(buf.size())) == 1;
  PQputCopyEnd(pg, sent ? nullptr : "client could not send the rows");
  std::string error = sent ? "" : PQerrorMessage(pg);
  while ((res = PQgetResult(pg)) != nullptr) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK && error.empty()) error = PQresultErrorMessage(res);
    PQclear(res);
  }
  if (!error.empty()) throw std::runtime_error("copy into " + target + ": " + error);
}

}  // namespace

void append_copy_value(std::string& out, const SqlValue& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) {
    char digits[24];
    auto r = std::to_chars(digits, digits + sizeof digits, *i);
    out.append(digits, r.ptr);
  } else if (auto* s = std::get_if<std::string_view>(&v)) {
    for (char c : *s) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          out += c;
      }
    }
  } else {
    out += "\\N";
  }
}

void pg_copy_insert(void* native, std::string_view table, std::span<const std::string_view> columns,
                    std::span<const SqlValue> values, std::string_view suffix) {
  auto* pg = static_cast<PGconn*>(native);
  std::string list;
  for (auto c : columns) list += (list.empty() ? "" : ", ") + std::string(c);
  const std::string name(table);
  if (suffix.empty()) {
    copy_rows(pg, name + " (" + list + ")", columns.size(), values);
    return;
  }
  // A staging table per target, made once per session (IF NOT EXISTS also covers one that
  // a rolled-back transaction took with it); emptied after each use by TRUNCATE, which a
  // temporary table does without WAL or dead rows.
  // Named by the column list too: callers may write different columns of one table.
  char tag[20];
  auto end = std::to_chars(tag, tag + sizeof tag, std::hash<std::string>{}(list) % 1000000007u);
  const std::string stage = "fulfil_stage_" + name + "_" + std::string(tag, end.ptr);
  exec(pg, "CREATE TEMP TABLE IF NOT EXISTS " + stage + " AS SELECT " + list + " FROM " + name +
               " WITH NO DATA");
  copy_rows(pg, stage + " (" + list + ")", columns.size(), values);
  exec(pg, "INSERT INTO " + name + " (" + list + ") SELECT " + list + " FROM " + stage + " " +
               std::string(suffix) + "; TRUNCATE " + stage);
}

}  // namespace fulfil::store
