#include "courier/platform_reconciliation.hpp"

#include "common/log.hpp"
#include "store/row_reader.hpp"

namespace fulfil::courier {

using store::get_int;
using store::get_text;

Result<int> PlatformReconciliation::stop_shipped_elsewhere(std::int64_t window_seconds) {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    const long long now = m_clock.now(), since = now - window_seconds;
    // Trades inside the warehouse (by their fstate, over its index) that changed lately.
    std::string sql =
        "SELECT t.tid, t.status, pt.parcel_id FROM trades t JOIN parcel_trades pt ON pt.tid = "
        "t.tid JOIN parcels p ON p.id = pt.parcel_id WHERE t.fstate IN ('ready', 'problem', "
        "'approved', 'waybill') AND t.modified >= :s AND t.status IN ('WAIT_BUYER_CONFIRM_GOODS', "
        "'SELLER_CONSIGNED_PART', 'TRADE_BUYER_SIGNED', 'TRADE_FINISHED') AND p.state NOT IN "
        "('intercepted', 'cancelled', 'merged') AND NOT EXISTS (SELECT 1 FROM ship_confirmations "
        "c WHERE c.tid = t.tid) ORDER BY t.tid";
    if (m_conn.dialect() == store::Dialect::postgresql) sql += " FOR UPDATE OF t";
    std::vector<ShippedElsewhere> found;
    {
      soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(since));
      for (const auto& r : rows)
        found.push_back({get_int(r, 0), get_int(r, 2), get_text(r, 1), now});
    }
    for (const auto& f : found) {
      long long tid = f.tid;
      const std::string why = "shipped on the platform, not from this warehouse (" + f.status +
                              "): shipped from another warehouse or by hand; check before packing";
      m_conn.sql() << "UPDATE trades SET fstate = 'intercepted', intercept_reason = :r WHERE tid "
                      "= :t",
          soci::use(why), soci::use(tid);
      m_conn.sql() << "INSERT INTO order_events (tid, at, actor, kind, detail) VALUES (:t, :a, "
                      "'reconcile', 'shipped_elsewhere', :d)",
          soci::use(tid), soci::use(now), soci::use(why);
      m_conn.sql() << "INSERT INTO trade_signals (tid, kind, at) VALUES (:t, 'intercepted', :a)",
          soci::use(tid), soci::use(now);
      log::warn("shipped on the platform, not here: stopped",
                {{"tid", std::to_string(f.tid)}, {"parcel", f.parcel_id}, {"status", f.status}});
    }
    return static_cast<int>(found.size());
  });
}

Result<void> PlatformReconciliation::record(const ReconcileCounts& c, const std::string& actor,
                                            bool always) {
  if (!always && !c.sent_again && !c.for_a_person && !c.stopped) return {};
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long at = m_clock.now(), a = c.sent_again, f = c.for_a_person, s = c.stopped;
    m_conn.sql() << "INSERT INTO platform_reconciliations (at, actor, sent_again, for_a_person, "
                    "stopped) VALUES (:at, :ac, :a, :f, :s)",
        soci::use(at), soci::use(actor), soci::use(a), soci::use(f), soci::use(s);
    return {};
  });
}

Result<ReconcileSummary> PlatformReconciliation::summary(int days, int list_limit) {
  try {
    ReconcileSummary out;
    const long long since = m_clock.now() - days * 86400LL;
    soci::row sums;
    m_conn.sql() << "SELECT COALESCE(SUM(sent_again), 0), COALESCE(SUM(for_a_person), 0), "
                    "COALESCE(SUM(stopped), 0) FROM platform_reconciliations WHERE at >= :s",
        soci::use(since), soci::into(sums);
    out.counts = {static_cast<int>(get_int(sums, 0)), static_cast<int>(get_int(sums, 1)),
                  static_cast<int>(get_int(sums, 2))};
    soci::row last;
    m_conn.sql() << "SELECT MAX(at) FROM platform_reconciliations WHERE actor <> 'shipping'",
        soci::into(last);
    out.last_run_at = store::get_opt_int(last, 0);
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT e.tid, pt.parcel_id, e.detail, e.at FROM order_events e "
                                 "JOIN parcel_trades pt ON pt.tid = e.tid WHERE e.kind = "
                                 "'shipped_elsewhere' AND e.at >= :s ORDER BY e.at DESC, e.tid "
                                 "LIMIT " +
                                     std::to_string(list_limit),
         soci::use(since));
    for (const auto& r : rows) {
      std::string detail = get_text(r, 2);
      // "... (STATUS): ..." names the platform's status.
      const auto open = detail.find('('), close = detail.find(')');
      out.stopped.push_back({get_int(r, 0), get_int(r, 1),
                             open != std::string::npos && close > open
                                 ? detail.substr(open + 1, close - open - 1)
                                 : "",
                             get_int(r, 3)});
    }
    return out;
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, e.what());
  }
}

}  // namespace fulfil::courier
