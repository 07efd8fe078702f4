#include "platform/shop_sync_job.hpp"

#include <functional>

#include "common/log.hpp"
#include "platform/rds_sync.hpp"
#include "store/lease_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::platform {

namespace {

using SyncBody = std::function<Result<SyncReport>(const TradeSync::Heartbeat&)>;

// Takes the shop's lease, runs `body` (which renews it through the heartbeat) and records
// the outcome on the shop.
Result<ShopRunResult> run_under_lease(const std::string& shop, std::int64_t lease_seconds,
                                      store::Connection& conn, const Clock& clock,
                                      const std::string& instance_id, const SyncBody& body) {
  store::LeaseRepository leases(conn);
  auto lease =
      store::ScopedLease::take(leases, "sync:" + shop, instance_id, clock.now(), lease_seconds);
  if (!lease) return std::unexpected(lease.error());
  if (!*lease) {
    log::info("sync skipped: another instance holds the shop", {{"shop", shop}});
    return ShopRunResult{true, {}};
  }
  auto report = body([&] { return (*lease)->renew(clock.now()); });
  lease->reset();

  store::SyncStateRepository states(conn);
  if (report) {
    (void)states.record_run(shop, clock.now(), report->problem,
                            report->problem.empty() ? "" : "config", "");
    if (!report->problem.empty())
      log::warn("sync found a problem", {{"shop", shop}, {"problem", report->problem}});
    const auto& st = report->totals.stored;
    log::info("sync done", {{"shop", shop},
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
    alert = "this shop's credentials are refused: re-authorise the shop or correct its secrets (" +
            e.message + ")";
  if (e.kind != ErrorKind::cancelled)
    (void)states.record_run(shop, clock.now(), e.message, std::string(to_string(e.kind)), alert);
  log::error("sync failed", {{"shop", shop}, {"kind", to_string(e.kind)}, {"error", e.message}});
  return std::unexpected(e);
}

}  // namespace

Result<ShopRunResult> run_shop_sync(const ShopSyncSettings& s, outbound::HttpClient& http,
                                    store::Connection& conn, const Clock& clock,
                                    const std::string& instance_id, Cancellation& cancel) {
  return run_under_lease(s.shop, s.lease_seconds, conn, clock, instance_id,
                         [&](const TradeSync::Heartbeat& beat) {
                           TopClient client(http, clock, s.top, s.shop);
                           return TradeSync(client, conn, clock, s.sync, cancel, beat).run();
                         });
}

Result<ShopRunResult> run_rds_sync(const std::string& shop, const RdsSettings& settings,
                                   std::int64_t lease_seconds, store::Connection& conn,
                                   const Clock& clock, const std::string& instance_id,
                                   Cancellation& cancel) {
  return run_under_lease(shop, lease_seconds, conn, clock, instance_id,
                         [&](const TradeSync::Heartbeat& beat) -> Result<SyncReport> {
                           auto reader = RdsReader::connect(settings);
                           if (!reader) return std::unexpected(reader.error());
                           return RdsSync(*reader, conn, clock, shop, settings, cancel, beat).run();
                         });
}

}  // namespace fulfil::platform
