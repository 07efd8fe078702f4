#include "capabilities/service/service_capability.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "capabilities/service/report_routes.hpp"
#include "reports/reports.hpp"

namespace fulfil::daemon {

namespace json = boost::json;

namespace {

json::object found_json(const reports::FoundParcel& f) {
  json::array tids;
  for (const auto& t : f.tids) tids.emplace_back(t);
  return {{"parcel_id", f.parcel_id},
          {"serial", f.serial},
          {"state", f.state},
          {"shop", f.shop},
          {"buyer_nick", f.buyer_nick},
          {"receiver_name", f.receiver_name},
          {"city", f.city},
          {"tids", std::move(tids)},
          {"courier", api::text_or_null(f.courier)},
          {"waybill_no", api::text_or_null(f.waybill_no)},
          {"matched_by", f.matched_by}};
}

class ServiceCapability final : public Capability {
 public:
  std::string_view name() const override { return "service"; }
  std::vector<store::MigrationSet> migrations() const override {
    return {reports::migration_set()};
  }
  std::vector<api::Route> routes() override {
    std::vector<api::Route> out{
        {"GET", "/api/v1/search", "searchShipments", api::k_any_staff,
         [this](const http::Request& req, const api::PathParams&) { return search(req); }}};
    for (auto& r : report_routes(services())) out.push_back(std::move(r));
    return out;
  }

 private:
  http::Response search(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"q", "limit"})) return *refused;
    auto limit = api::limit_param(req, 20, 200);
    if (!limit) return api::from_error(limit.error());
    auto q = req.query.find("q");
    auto conn = services().store.local(store::Durability::relaxed);
    if (!conn) return api::from_error(conn.error());
    auto found =
        reports::ShipmentSearch(**conn).find(q == req.query.end() ? "" : q->second, *limit);
    if (!found) return api::from_error(found.error());
    json::array out;
    for (const auto& f : *found) out.push_back(found_json(f));
    return api::ok(json::object{{"matches", std::move(out)}});
  }
};

}  // namespace

std::unique_ptr<Capability> make_service_capability() {
  return std::make_unique<ServiceCapability>();
}

}  // namespace fulfil::daemon
