#include "capabilities/tracking/tracking_job.hpp"

#include "common/log.hpp"

namespace fulfil::daemon {

Result<void> run_tracking_once(const Config& config, StoreAccess& store, outbound::HttpClient& http,
                               const Clock& clock) {
  const auto& settings = config.shipping.tracking;
  if (!settings.enabled) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  courier::Kuaidi100Client client(http, settings.kuaidi100);
  auto r = courier::TrackingService(**conn, clock, settings).run(client);
  if (!r) {
    store.reset_local();
    log::error("tracking pass failed", {{"error", r.error().message}});
    return std::unexpected(r.error());
  }
  if (r->enrolled || r->subscribed || r->updated || r->failed)
    log::info("tracking pass", {{"followed", r->enrolled},
                                {"subscribed", r->subscribed},
                                {"asked", r->polled},
                                {"updated", r->updated},
                                {"failed", r->failed}});
  return {};
}

}  // namespace fulfil::daemon
