#include "capabilities/shipping/courier_routes.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "capabilities/shipping/platform_reconcile.hpp"
#include "common/timeutil.hpp"
#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

namespace {

json::object waybill_json(const courier::Waybill& w) {
  return {{"id", w.id},
          {"parcel_id", w.parcel_id},
          {"courier", w.courier},
          {"waybill_no", text_or_null(w.waybill_no)},
          {"state", w.state},
          {"idem_key", w.idem_key},
          {"reason", w.reason},
          {"error", text_or_null(w.error)},
          {"created_at", format_iso_shanghai(w.created_at)},
          {"updated_at", format_iso_shanghai(w.updated_at)}};
}

json::object confirmation_json(const courier::Confirmation& c) {
  return {{"id", c.id},
          {"parcel_id", c.parcel_id},
          {"tid", std::to_string(c.tid)},
          {"shop", c.shop},
          {"courier", c.courier},
          {"waybill_no", c.waybill_no},
          {"sub_tids", text_or_null(c.sub_tids)},
          {"state", c.state},
          {"attempts", c.attempts},
          {"next_at", format_iso_shanghai(c.next_at)},
          {"last_error", text_or_null(c.last_error)}};
}

}  // namespace

std::vector<Route> CourierRoutes::routes() {
  std::vector<Route> out{
      {"GET", "/api/v1/couriers", "listCouriers", k_any_staff,
       [this](const auto&, const auto&) { return couriers(); }},
      {"POST",
       "/api/v1/couriers/{code}/pool",
       "importWaybillPool",
       k_supervisors,
       [this](const auto& req, const auto& p) { return import_pool(req, p.text("code")); },
       {},
       {},
       {"application/json", "text/plain"}},
      {"GET",
       "/api/v1/parcels/{id}/waybill",
       "getParcelWaybills",
       k_any_staff,
       [this](const auto&, const auto& p) { return waybills(p.id("id")); },
       {{"id", "parcel id"}}},
      {"GET", "/api/v1/confirmations", "listConfirmations", k_any_staff,
       [this](const auto& req, const auto&) { return confirmations(req); }},
      {"GET", "/api/v1/shipping/reconciliation", "getPlatformReconciliation", k_any_staff,
       [this](const auto& req, const auto&) { return reconciliation(req); }},
      {"POST", "/api/v1/shipping/reconcile", "reconcileWithPlatform", k_supervisors,
       [this](const auto& req, const auto&) { return reconcile(req); }},
  };
  audit_calls(out, "importWaybillPool", "pool.import");
  audit_calls(out, "reconcileWithPlatform", "platform.reconcile");
  return out;
}

http::Response CourierRoutes::couriers() {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto settings = m_settings();
  courier::WaybillService service(**conn, m_clock, *settings);
  auto today = service.today();
  if (!today) return from_error(today.error());
  auto levels = courier::NumberPool(**conn).levels();
  if (!levels) return from_error(levels.error());
  const std::int64_t total = today->total();
  json::array out;
  for (const auto& c : settings->couriers) {
    const std::int64_t n = today->per_courier.contains(c.code) ? today->per_courier.at(c.code) : 0;
    courier::PoolLevel level{c.code};
    for (const auto& l : *levels)
      if (l.courier == c.code) level = l;
    out.push_back(json::object{
        {"code", c.code},
        {"name", c.name},
        {"source", c.source == courier::Source::sf        ? "sf"
                   : c.source == courier::Source::cainiao ? "cainiao"
                                                          : "pool"},
        {"target_share", c.share},
        {"daily_capacity", c.daily_capacity},
        {"today", n},
        {"today_share", total ? static_cast<double>(n) / static_cast<double>(total) : 0.0},
        {"capacity_left", c.daily_capacity
                              ? json::value(std::max<std::int64_t>(0, c.daily_capacity - n))
                              : json::value(nullptr)},
        {"pool", c.source == courier::Source::pool
                     ? json::value(json::object{
                           {"free", level.free}, {"used", level.used}, {"void", level.void_}})
                     : json::value(nullptr)},
        {"pool_low", c.source == courier::Source::pool && level.free < c.low_pool}});
  }
  return ok(json::object{{"couriers", std::move(out)}, {"today_total", total}});
}

json::array CourierRoutes::pools_low() {
  json::array out;
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return out;
  auto levels = courier::NumberPool(**conn).levels();
  if (!levels) return out;
  const auto settings = m_settings();
  for (const auto& c : settings->couriers) {
    if (c.source != courier::Source::pool) continue;
    std::int64_t free = 0;
    for (const auto& l : *levels)
      if (l.courier == c.code) free = l.free;
    if (free < c.low_pool)
      out.push_back(json::object{{"courier", c.code}, {"free", free}, {"low_pool", c.low_pool}});
  }
  return out;
}

http::Response CourierRoutes::import_pool(const http::Request& req, const std::string& code) {
  if (!m_settings()->find(code))
    return error(404, "not_found", "no courier " + code + " in [shipping]");
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  courier::NumberPool pool(**conn);
  Result<courier::PoolImport> r = fail(ErrorKind::invalid_input, "body: expected {\"range\"}");
  if (req.content_type.starts_with("text/plain")) {
    r = pool.import_list(code, req.body, m_clock.now());
  } else {
    auto body = json_body(req);
    if (!body) return from_error(body.error());
    auto range = text_field(*body, "range");
    if (!range) return from_error(range.error());
    r = pool.import_range(code, *range, m_clock.now());
  }
  if (!r) return from_error(r.error());
  return ok(json::object{{"added", r->added}, {"duplicates", r->duplicates}});
}

http::Response CourierRoutes::waybills(std::int64_t parcel_id) {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto list = courier::WaybillService(**conn, m_clock, *m_settings()).waybills_of(parcel_id);
  if (!list) return from_error(list.error());
  json::array out;
  for (const auto& w : *list) out.push_back(waybill_json(w));
  return ok(json::object{{"waybills", std::move(out)}});
}

http::Response CourierRoutes::confirmations(const http::Request& req) {
  std::string state = "failed";
  if (auto it = req.query.find("state"); it != req.query.end()) state = it->second;
  if (state != "failed" && state != "pending" && state != "sent" && state != "void" &&
      state != "manual")
    return error(400, "bad_request", "state: expected failed, pending, sent, manual or void");
  auto limit = limit_param(req, 100, 1000);
  if (!limit) return from_error(limit.error());
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto list = courier::WaybillService(**conn, m_clock, *m_settings()).confirmations(state, *limit);
  if (!list) return from_error(list.error());
  json::array out;
  for (const auto& c : *list) out.push_back(confirmation_json(c));
  return ok(json::object{{"confirmations", std::move(out)}});
}

http::Response CourierRoutes::reconcile(const http::Request& req) {
  auto r = reconcile_with_platform(*m_settings(), m_store, m_clock, req.user);
  if (!r) return from_error(r.error());
  return ok(json::object{
      {"sent_again", r->sent_again}, {"for_a_person", r->for_a_person}, {"stopped", r->stopped}});
}

http::Response CourierRoutes::reconciliation(const http::Request& req) {
  auto days = int_param(req, "days", 7, 1, 90);
  if (!days) return from_error(days.error());
  auto o = reconciliation_json(m_store, m_clock, *days, true);
  if (!o) return from_error(o.error());
  return ok(*o);
}

}  // namespace fulfil::daemon::api
