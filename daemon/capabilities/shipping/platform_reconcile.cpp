#include "capabilities/shipping/platform_reconcile.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "courier/waybill_service.hpp"

namespace fulfil::daemon {

namespace json = boost::json;

Result<courier::ReconcileCounts> reconcile_with_platform(const courier::CourierSettings& settings,
                                                         StoreAccess& store, const Clock& clock,
                                                         const std::string& actor) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  courier::ReconcileCounts counts;
  auto resent = courier::WaybillService(**conn, clock, settings)
                    .reconcile_shipped(settings.reconcile_after_hours * 3600LL);
  if (!resent) return std::unexpected(resent.error());
  std::tie(counts.sent_again, counts.for_a_person) = *resent;
  courier::PlatformReconciliation rec(**conn, clock);
  auto stopped = rec.stop_shipped_elsewhere();
  if (!stopped) return std::unexpected(stopped.error());
  counts.stopped = *stopped;
  if (auto r = rec.record(counts, actor, true); !r) return std::unexpected(r.error());
  log::info("reconciled with the platform", {{"by", actor},
                                             {"sent_again", counts.sent_again},
                                             {"for_a_person", counts.for_a_person},
                                             {"stopped", counts.stopped}});
  return counts;
}

Result<json::object> reconciliation_json(StoreAccess& store, const Clock& clock, int days,
                                         bool with_list) {
  auto conn = store.local(store::Durability::relaxed);
  if (!conn) return std::unexpected(conn.error());
  auto s = courier::PlatformReconciliation(**conn, clock).summary(days);
  if (!s) return std::unexpected(s.error());
  json::object o{{"days", days},
                 {"last_run_at", api::time_or_null(s->last_run_at)},
                 {"sent_again", s->counts.sent_again},
                 {"for_a_person", s->counts.for_a_person},
                 {"stopped", s->counts.stopped}};
  if (with_list) {
    json::array list;
    for (const auto& t : s->stopped)
      list.push_back({{"tid", std::to_string(t.tid)},
                      {"parcel_id", t.parcel_id},
                      {"platform_status", t.status},
                      {"at", format_iso_shanghai(t.at)}});
    o["shipped_elsewhere"] = std::move(list);
  }
  return o;
}

}  // namespace fulfil::daemon
