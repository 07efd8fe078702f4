#include "identity/audit_log.hpp"

#include "store/row_reader.hpp"

#include <limits>

namespace fulfil::identity {

Result<void> AuditLog::append(const AuditEntry& e) {
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long at = e.at;
    m_conn.sql() << "INSERT INTO audit_log (at, actor, action, target, detail, address) "
                    "VALUES (:at, :actor, :action, :target, :detail, :address)",
        soci::use(at), soci::use(e.actor), soci::use(e.action), soci::use(e.target),
        soci::use(e.detail), soci::use(e.address);
    return {};
  });
}

Result<std::vector<AuditEntry>> AuditLog::list(const AuditFilter& f) {
  return store::guarded([&]() -> Result<std::vector<AuditEntry>> {
    // Every filter is bound, an empty one matching all, so the statement is one text.
    long long from = f.from.value_or(0), to = f.to.value_or(std::numeric_limits<long long>::max()),
              limit = f.limit;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
             << "SELECT id, at, actor, action, target, detail, address FROM audit_log "
                "WHERE (:actor = '' OR actor = :actor2) AND (:action = '' OR action = :action2) "
                "AND at >= :from AND at <= :to ORDER BY id DESC LIMIT :limit",
         soci::use(f.actor), soci::use(f.actor), soci::use(f.action), soci::use(f.action),
         soci::use(from), soci::use(to), soci::use(limit));
    std::vector<AuditEntry> out;
    for (const auto& r : rows)
      out.push_back({store::get_int(r, 0), store::get_int(r, 1), store::get_text(r, 2),
                     store::get_text(r, 3), store::get_text(r, 4), store::get_text(r, 5),
                     store::get_text(r, 6)});
    return out;
  });
}

}  // namespace fulfil::identity
