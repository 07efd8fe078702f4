#include "store/sync_state_repository.hpp"

#include "store/row_reader.hpp"

namespace fulfil::store {

namespace {
constexpr const char* k_select =
    "SELECT shop, window_end, last_run_at, last_ok_at, last_error, last_error_kind, alert, "
    "trades_stored FROM sync_state";

SyncState read(const soci::row& r) {
  return {get_text(r, 0), get_opt_int(r, 1), get_opt_int(r, 2), get_opt_int(r, 3),
          get_text(r, 4), get_text(r, 5),    get_text(r, 6),    get_int(r, 7)};
}
}  // namespace

Result<std::optional<SyncState>> SyncStateRepository::get(const std::string& shop) {
  return guarded([&]() -> Result<std::optional<SyncState>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_select) + " WHERE shop = :s", soci::use(shop));
    std::optional<SyncState> out;
    for (const auto& r : rows) out = read(r);
    return out;
  });
}

Result<std::vector<SyncState>> SyncStateRepository::all() {
  return guarded([&]() -> Result<std::vector<SyncState>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_select) + " ORDER BY shop");
    std::vector<SyncState> out;
    for (const auto& r : rows) out.push_back(read(r));
    return out;
  });
}

void SyncStateRepository::ensure_row(const std::string& shop) {
  m_conn.sql() << "INSERT INTO sync_state (shop) VALUES (:s) ON CONFLICT (shop) DO NOTHING",
      soci::use(shop);
}

void SyncStateRepository::advance(const std::string& shop, UnixSeconds window_end,
                                  std::int64_t stored, UnixSeconds now) {
  ensure_row(shop);
  long long end = window_end, n = stored, at = now;
  m_conn.sql() << "UPDATE sync_state SET window_end = CASE WHEN window_end IS NULL OR "
                  "window_end < :e THEN :e2 ELSE window_end END, trades_stored = trades_stored + "
                  ":n, last_ok_at = :at WHERE shop = :s",
      soci::use(end), soci::use(end), soci::use(n), soci::use(at), soci::use(shop);
}

void SyncStateRepository::record_import(const std::string& shop, std::int64_t stored,
                                        UnixSeconds now) {
  ensure_row(shop);
  long long n = stored, at = now;
  m_conn.sql() << "UPDATE sync_state SET trades_stored = trades_stored + :n, last_ok_at = :at "
                  "WHERE shop = :s",
      soci::use(n), soci::use(at), soci::use(shop);
}

Result<void> SyncStateRepository::record_run(const std::string& shop, UnixSeconds now,
                                             const std::string& error,
                                             const std::string& error_kind,
                                             const std::string& alert) {
  return in_transaction(m_conn, [&]() -> Result<void> {
    ensure_row(shop);
    long long at = now;
    soci::indicator e_ind = error.empty() ? soci::i_null : soci::i_ok;
    soci::indicator k_ind = error_kind.empty() ? soci::i_null : soci::i_ok;
    soci::indicator a_ind = alert.empty() ? soci::i_null : soci::i_ok;
    m_conn.sql() << "UPDATE sync_state SET last_run_at = :at, last_error = :e, "
                    "last_error_kind = :k, alert = :a WHERE shop = :s",
        soci::use(at), soci::use(error, e_ind), soci::use(error_kind, k_ind),
        soci::use(alert, a_ind), soci::use(shop);
    return {};
  });
}

}  // namespace fulfil::store
