#include "aftersale/outbox.hpp"

#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::aftersale {

Result<std::vector<OutboxRow>> Outbox::pending_after(std::int64_t after, int limit) {
  return store::guarded([&]() -> Result<std::vector<OutboxRow>> {
    long long a = after;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT o.id, o.slip_id, s.body FROM outbox o JOIN slips s ON "
                                 "s.id = o.slip_id WHERE o.state = 'pending' AND o.id > :a ORDER "
                                 "BY o.id LIMIT " +
                                     std::to_string(limit),
         soci::use(a));
    std::vector<OutboxRow> out;
    for (const auto& r : rows)
      out.push_back({store::get_int(r, 0), store::get_text(r, 1), store::get_text(r, 2)});
    return out;
  });
}

Result<void> Outbox::mark_delivered(std::span<const std::int64_t> ids, UnixSeconds now) {
  if (ids.empty()) return {};
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long at = now;
    m_conn.sql() << "UPDATE outbox SET state = 'delivered', delivered_at = :a WHERE state = "
                    "'pending' AND id IN (" +
                        store::id_list(ids) + ")",
        soci::use(at);
    return {};
  });
}

Result<OutboxBacklog> Outbox::backlog() {
  return store::guarded([&]() -> Result<OutboxBacklog> {
    OutboxBacklog b;
    long long n = 0, oldest = 0;
    soci::indicator oldest_ind = soci::i_null;
    m_conn.sql() << "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = 'pending'",
        soci::into(n), soci::into(oldest, oldest_ind);
    b.pending = n;
    if (oldest_ind == soci::i_ok) b.oldest_pending = oldest;
    return b;
  });
}

}  // namespace fulfil::aftersale
