#include "platform/shop_sync_job.hpp"

#include "common/log.hpp"
#include "store/lease_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::platform {

Result<ShopRunResult> run_shop_sync(const ShopSyncSettings& s, outbound::HttpClient& http,
                                    store::Connection& conn, const Clock& clock,
                                    const std::string& instance_id, Cancellation& cancel) {
  store::LeaseRepository leases(conn);
  auto lease =
      store::ScopedLease::take(leases, "sync:" + s.shop, instance_id, clock.now(), s.lease_seconds);
  if (!lease) return std::unexpected(lease.error());
  if (!*lease) {
    log::info("sync skipped: another instance holds the shop", {{"shop", s.shop}});
    return ShopRunResult{true, {}};
  }
  TopClient client(http, clock, s.top, s.shop);
  TradeSync sync(client, conn, clock, s.sync, cancel, [&] { return (*lease)->renew(clock.now()); });
  auto report = sync.run();
  lease->reset();

  store::SyncStateRepository states(conn);
  if (report) {
    (void)states.record_run(s.shop, clock.now(), "", "", "");
    const auto& st = report->totals.stored;
    log::info("sync done", {{"shop", s.shop},
                            {"windows", report->windows},
                            {"pages", report->totals.pages},
                            {"inserted", st.inserted},
                            {"updated", st.updated},
                            {"unchanged", st.unchanged},
                            {"entered", st.entered},
                            {"intercepted", st.intercepted},
                            {"quarantined", report->totals.quarantined}});
    return ShopRunResult{false, std::move(*report)};
  }
  const Error& e = report.error();
  std::string alert;
  if (e.kind == ErrorKind::auth)
    alert =
        "the platform refuses this shop's credentials: re-authorise the shop (" + e.message + ")";
  if (e.kind != ErrorKind::cancelled)
    (void)states.record_run(s.shop, clock.now(), e.message, std::string(to_string(e.kind)), alert);
  log::error("sync failed", {{"shop", s.shop}, {"kind", to_string(e.kind)}, {"error", e.message}});
  return std::unexpected(e);
}

}  // namespace fulfil::platform
