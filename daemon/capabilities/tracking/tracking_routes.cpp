#include "capabilities/tracking/tracking_routes.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "courier/tracking_service.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

namespace {

json::object shipment_json(const courier::Shipment& s) {
  json::array events;
  for (const auto& e : s.events)
    events.push_back({{"at", format_iso_shanghai(e.at)},
                      {"context", e.context},
                      {"area", text_or_null(e.area)},
                      {"status", text_or_null(e.status)}});
  json::object o{{"id", s.id},
                 {"courier", s.courier},
                 {"waybill_no", s.waybill_no},
                 {"kind", s.kind},
                 {"parcel_id", s.parcel_id ? json::value(*s.parcel_id) : json::value(nullptr)},
                 {"tid", s.tid ? json::value(std::to_string(*s.tid)) : json::value(nullptr)},
                 {"state", s.state},
                 {"last_event_at", time_or_null(s.last_event_at)},
                 {"last_context", text_or_null(s.last_context)},
                 {"last_error", text_or_null(s.last_error)},
                 {"subscribed", s.subscribed},
                 {"since", format_iso_shanghai(s.created_at)}};
  if (!s.events.empty()) o["events"] = std::move(events);
  return o;
}

// Kuaidi100 reads only the body; anything but result:true makes it push again.
http::Response kuaidi100_answer(int status, bool result, std::string_view code,
                                std::string_view message) {
  json::object o{{"result", result}, {"returnCode", code}, {"message", message}};
  auto r = ok(o);
  r.status = status;
  return r;
}

}  // namespace

std::vector<Route> TrackingRoutes::routes() {
  std::vector<Route> out{
      {"GET",
       "/api/v1/parcels/{id}/tracking",
       "getParcelTracking",
       k_any_staff,
       [this](const auto&, const auto& p) { return of_parcel(p.id("id")); },
       {{"id", "parcel id"}}},
      {"GET", "/api/v1/tracking", "listTracking", k_any_staff,
       [this](const auto& req, const auto&) { return list(req); }},
      {"POST", "/api/v1/tracking/returns", "followReturnParcel",
       roles({StaffRole::packer, StaffRole::customer_service, StaffRole::supervisor}),
       [this](const auto& req, const auto&) { return add_return(req); }},
      // Kuaidi100 calls it: the sign checked against the salt is its identity.
      {"POST",
       "/api/v1/tracking/kuaidi100/callback",
       "kuaidi100Callback",
       k_public,
       [this](const auto& req, const auto&) { return callback(req); },
       {},
       {},
       {"application/x-www-form-urlencoded"}},
      {"GET", "/api/v1/tracking/{waybill_no}", "getTracking", k_any_staff,
       [this](const auto&, const auto& p) { return by_number(p.text("waybill_no")); }},
  };
  audit_calls(out, "followReturnParcel", "tracking.follow_return");
  return out;
}

http::Response TrackingRoutes::of_parcel(std::int64_t parcel_id) {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto settings = m_settings();
  auto list = courier::TrackingService(**conn, m_clock, settings->tracking).of_parcel(parcel_id);
  if (!list) return from_error(list.error());
  json::array out;
  for (const auto& s : *list) out.push_back(shipment_json(s));
  return ok(json::object{{"shipments", std::move(out)}});
}

http::Response TrackingRoutes::list(const http::Request& req) {
  if (auto refused = unknown_parameter(req, {"list", "limit"})) return *refused;
  auto it = req.query.find("list");
  auto which = courier::parse_shipment_list(it == req.query.end() ? "attention" : it->second);
  if (!which)
    return error(400, "bad_request", "list: expected attention, stuck, returns or unmatched");
  auto limit = limit_param(req, 100, 1000);
  if (!limit) return from_error(limit.error());
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto settings = m_settings();
  auto list = courier::TrackingService(**conn, m_clock, settings->tracking).list(*which, *limit);
  if (!list) return from_error(list.error());
  json::array out;
  for (const auto& s : *list) out.push_back(shipment_json(s));
  return ok(json::object{{"list", courier::to_string(*which)},
                         {"stuck_hours", settings->tracking.stuck_hours},
                         {"shipments", std::move(out)}});
}

http::Response TrackingRoutes::by_number(const std::string& number) {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto settings = m_settings();
  auto s = courier::TrackingService(**conn, m_clock, settings->tracking).by_number(number);
  if (!s) return from_error(s.error());
  if (!*s) return error(404, "not_found", "no shipment followed with number " + number);
  return ok(shipment_json(**s));
}

http::Response TrackingRoutes::add_return(const http::Request& req) {
  auto body = json_body(req);
  if (!body) return from_error(body.error());
  auto courier = text_field(*body, "courier");
  if (!courier) return from_error(courier.error());
  auto number = text_field(*body, "waybill_no");
  if (!number) return from_error(number.error());
  std::optional<std::int64_t> tid;
  if (body->contains("tid")) {
    auto t = text_field(*body, "tid");
    auto parsed = t ? parse_id(*t, "tid") : Result<std::int64_t>(std::unexpected(t.error()));
    if (!parsed) return from_error(parsed.error());
    tid = *parsed;
  }
  auto phone = text_field(*body, "phone", "");
  if (!phone) return from_error(phone.error());
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  auto settings = m_settings();
  auto id = courier::TrackingService(**conn, m_clock, settings->tracking)
                .add_return(*courier, *number, tid, *phone);
  if (!id) return from_error(id.error());
  log::info("return parcel followed",
            {{"courier", *courier}, {"waybill_no", *number}, {"by", req.user}});
  return ok(json::object{{"id", *id}});
}

http::Response TrackingRoutes::callback(const http::Request& req) {
  auto settings = m_settings();
  if (!settings->tracking.enabled || settings->tracking.kuaidi100.salt.empty())
    return kuaidi100_answer(404, false, "404", "tracking push is not configured here");
  auto track = courier::read_callback(req.body, settings->tracking.kuaidi100.salt);
  if (!track) {
    log::warn("Kuaidi100 callback refused", {{"error", track.error().message}});
    return kuaidi100_answer(400, false, track.error().kind == ErrorKind::auth ? "503" : "400",
                            track.error().message);
  }
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return kuaidi100_answer(503, false, "500", conn.error().message);
  auto id = courier::TrackingService(**conn, m_clock, settings->tracking).apply(*track);
  if (!id) {
    m_store.reset_local();
    return kuaidi100_answer(503, false, "500", id.error().message);  // pushed again later
  }
  auto r = ok(json::value());
  r.body = std::string(courier::k_callback_ok);
  return r;
}

}  // namespace fulfil::daemon::api
