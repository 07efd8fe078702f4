#include "capabilities/packing/pack_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/store_call.hpp"
#include "orders/serial.hpp"
#include "packing/pack_service.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

namespace {

json::object view_json(const packing::PackView& v) {
  json::array lines;
  for (const auto& l : v.lines)
    lines.push_back(json::object{{"oid", std::to_string(l.oid)},
                                 {"title", l.title},
                                 {"sku_properties", l.sku_properties},
                                 {"sku", l.sku},
                                 {"barcode", api::text_or_null(l.barcode)},
                                 {"location", api::text_or_null(l.location)},
                                 {"expected", l.expected},
                                 {"verified", l.verified},
                                 {"short_reason", api::text_or_null(l.short_reason)}});
  return {
      {"parcel_id", v.parcel.id},
      {"serial", orders::Serial{static_cast<int>(v.parcel.serial_day), v.parcel.serial_seq}.text()},
      {"state", std::string(review::to_string(v.parcel.state))},
      {"buyer_nick", v.parcel.buyer_nick},
      {"city", v.parcel.city},
      {"courier", api::text_or_null(v.courier)},
      {"waybill_no", api::text_or_null(v.waybill_no)},
      {"station", api::text_or_null(v.station)},
      {"packer", api::text_or_null(v.user)},
      {"weight_g", v.weight_g ? json::value(*v.weight_g) : json::value(nullptr)},
      {"packed_at", v.packed_at ? api::time_or_null(*v.packed_at) : json::value(nullptr)},
      {"stop", api::text_or_null(v.stop)},
      {"wave", v.wave ? json::value(json::object{{"id", v.wave->wave_id}, {"slot", v.wave->slot}})
                      : json::value(nullptr)},
      {"verified", v.verified()},
      {"lines", std::move(lines)}};
}

http::Response outcome(const Result<packing::PackOutcome>& r) {
  if (!r) return from_error(r.error());
  if (!r->refused) return api::ok(view_json(r->view));
  auto answer = api::error(409, r->refused->code, r->refused->message);
  json::object body{
      {"code", r->refused->code}, {"message", r->refused->message}, {"parcel", view_json(r->view)}};
  answer.body = json::serialize(body);
  return answer;
}

class PackRoutes {
 public:
  explicit PackRoutes(Services& s) : m_s(s) {}

  template <class Fn>
  http::Response with_service(Fn fn) {
    return api::with_store(m_s.store, store::Durability::strict, [&](store::Connection& c) {
      packing::PackService service(c, m_s.clock, m_s.live.get()->shipping.confirm_at);
      return fn(service);
    });
  }

  http::Response find(const std::string& code) {
    return with_service([&](packing::PackService& s) {
      auto v = s.find(code);
      if (!v) return from_error(v.error());
      if (!*v)
        return api::error(404, "not_found",
                          "no parcel has the serial, tracking number or tid " + code);
      return api::ok(view_json(**v));
    });
  }

  // Every step names the station it is taken at.
  template <class Fn>
  http::Response step(const http::Request& req, Fn fn) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto station = api::text_field(*body, "station");
    if (!station) return from_error(station.error());
    if (station->empty() || station->size() > 64)
      return from_error({ErrorKind::invalid_input, "station: 1-64 characters"});
    return with_service([&](packing::PackService& s) { return fn(s, *body, *station); });
  }

 private:
  Services& m_s;
};

}  // namespace

std::vector<api::Route> pack_routes(Services& services) {
  auto r = std::make_shared<PackRoutes>(services);
  const api::Roles packers = api::roles({api::StaffRole::packer, api::StaffRole::supervisor});
  const std::map<std::string, std::string> parcel_id{{"id", "parcel id"}};
  std::vector<api::Route> out{
      {"GET", "/api/v1/pack/{code}", "findPack", packers,
       [r](const auto&, const auto& p) { return r->find(p.text("code")); }},
      {"POST", "/api/v1/pack/{id}/start", "startPack", packers,
       [r](const auto& req, const auto& p) {
         return r->step(req, [&](auto& s, const json::object&, const std::string& station) {
           return outcome(s.start(p.id("id"), station, req.user));
         });
       },
       parcel_id},
      {"POST", "/api/v1/pack/{id}/scan", "scanPackItem", packers,
       [r](const auto& req, const auto& p) {
         return r->step(req, [&](auto& s, const json::object& body, const std::string& station) {
           auto code = api::text_field(body, "barcode");
           if (!code) return from_error(code.error());
           if (code->empty() || code->size() > 64)
             return from_error({ErrorKind::invalid_input, "barcode: 1-64 characters"});
           return outcome(s.scan(p.id("id"), station, req.user, *code));
         });
       },
       parcel_id},
      {"POST", "/api/v1/pack/{id}/short", "markPackShort", packers,
       [r](const auto& req, const auto& p) {
         return r->step(req, [&](auto& s, const json::object& body, const std::string& station) {
           auto oid = api::text_field(body, "oid");
           if (!oid) return from_error(oid.error());
           auto number = api::parse_id(*oid, "oid");
           if (!number) return from_error(number.error());
           auto reason = api::text_field(body, "reason");
           if (!reason) return from_error(reason.error());
           return outcome(s.mark_short(p.id("id"), station, req.user, *number, *reason));
         });
       },
       parcel_id},
      {"POST", "/api/v1/pack/{id}/done", "finishPack", packers,
       [r](const auto& req, const auto& p) {
         return r->step(req, [&](auto& s, const json::object& body, const std::string& station) {
           auto weight = api::int_field(body, "weight_g");
           if (!weight) return from_error(weight.error());
           return outcome(s.finish(p.id("id"), station, req.user, *weight));
         });
       },
       parcel_id},
  };
  api::audit_calls(out, "markPackShort", "pack.short");
  api::audit_calls(out, "finishPack", "pack.done");
  return out;
}

}  // namespace fulfil::daemon
