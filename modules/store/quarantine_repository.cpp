#include "store/quarantine_repository.hpp"

#include <deque>

#include "common/digest.hpp"
#include "common/utf8.hpp"
#include "store/bulk_writer.hpp"
#include "store/row_reader.hpp"

namespace fulfil::store {

void QuarantineRepository::add(std::span<const orders::Rejection> rejections,
                               std::string_view source, UnixSeconds now) {
  if (rejections.empty()) return;
  static constexpr std::string_view k_columns[] = {"shop",   "source",  "tid",         "field",
                                                   "reason", "payload", "fingerprint", "at"};
  // The payload may be the very bytes that were bad: store it hex-escaped where it is not
  // valid UTF-8, so the database (PostgreSQL checks encoding) always accepts it.
  std::deque<std::string> safe;  // stable addresses: the SqlValues point into it
  auto clean = [&](const std::string& s) -> std::string_view {
    if (!find_invalid_utf8(s)) return safe.emplace_back(utf8_prefix(s, 64 * 1024));
    std::string out;
    for (unsigned char c : s.substr(0, 64 * 1024)) {
      if (c >= 0x20 && c < 0x7f && c != '\\')
        out.push_back(static_cast<char>(c));
      else {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\x%02X", c);
        out += buf;
      }
    }
    return safe.emplace_back(std::move(out));
  };
  std::vector<SqlValue> rows;
  for (const auto& r : rejections) {
    // The same bad record read again (page overlap, re-import) is kept once.
    std::string_view fingerprint = safe.emplace_back(sha256_hex(
        r.shop + '\x1f' + std::string(source) + '\x1f' + (r.tid ? std::to_string(*r.tid) : "") +
        '\x1f' + r.field + '\x1f' + r.reason + '\x1f' + r.payload));
    SqlValue row[] = {clean(r.shop),
                      source,
                      r.tid ? SqlValue(*r.tid) : SqlValue(std::monostate{}),
                      clean(r.field),
                      clean(r.reason),
                      clean(r.payload),
                      fingerprint,
                      now};
    rows.insert(rows.end(), std::begin(row), std::end(row));
  }
  BulkWriter(m_conn).insert("quarantine", k_columns, rows, "ON CONFLICT (fingerprint) DO NOTHING");
}

Result<std::vector<QuarantineEntry>> QuarantineRepository::recent(int limit) {
  return guarded([&]() -> Result<std::vector<QuarantineEntry>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT id, shop, source, tid, field, reason, payload, at FROM "
                                 "quarantine ORDER BY id DESC LIMIT " +
                                     std::to_string(std::clamp(limit, 1, 1000)));
    std::vector<QuarantineEntry> out;
    for (const auto& r : rows) {
      QuarantineEntry e;
      e.id = get_int(r, 0);
      e.rejection.shop = get_text(r, 1);
      e.source = get_text(r, 2);
      e.rejection.tid = get_opt_int(r, 3);
      e.rejection.field = get_text(r, 4);
      e.rejection.reason = get_text(r, 5);
      e.rejection.payload = get_text(r, 6);
      e.at = get_int(r, 7);
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::int64_t> QuarantineRepository::count() {
  return guarded([&]() -> Result<std::int64_t> {
    long long n = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM quarantine", soci::into(n);
    return n;
  });
}

}  // namespace fulfil::store
