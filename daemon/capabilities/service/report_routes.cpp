#include "capabilities/service/report_routes.hpp"

#include <boost/json/array.hpp>

#include <cmath>

#include "api/store_call.hpp"
#include "reports/reports.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

namespace {

double rounded(double v, int places) {
  const double f = std::pow(10.0, places);
  return std::round(v * f) / f;
}

http::Response throughput(Services& s, const http::Request& req) {
  if (auto refused = api::unknown_parameter(req, {"hours"})) return *refused;
  auto hours = api::int_param(req, "hours", 24, 1, 24 * 14);
  if (!hours) return from_error(hours.error());
  return api::with_store(s.store, store::Durability::relaxed, [&](store::Connection& c) {
    auto counts = reports::throughput(c, s.clock.now(), *hours);
    if (!counts) return from_error(counts.error());
    json::array out;
    for (const auto& h : *counts)
      out.push_back(json::object{{"hour", api::time_or_null(h.hour)},
                                 {"reviewed", h.reviewed},
                                 {"printed", h.printed},
                                 {"packed", h.packed},
                                 {"shipped", h.shipped}});
    return api::ok(json::object{{"hours", std::move(out)}});
  });
}

http::Response couriers(Services& s, const http::Request& req) {
  if (auto refused = api::unknown_parameter(req, {"days"})) return *refused;
  auto days = api::int_param(req, "days", 7, 1, 90);
  if (!days) return from_error(days.error());
  const int stuck_hours = s.live.get()->shipping.tracking.stuck_hours;
  return api::with_store(s.store, store::Durability::relaxed, [&](store::Connection& c) {
    auto quality = reports::courier_quality(c, s.clock.now(), *days, stuck_hours);
    if (!quality) return from_error(quality.error());
    json::array out;
    for (const auto& q : *quality)
      out.push_back(
          json::object{{"courier", q.courier},
                       {"province", api::text_or_null(q.province)},
                       {"shipments", q.shipments},
                       {"delivered", q.delivered},
                       {"median_hours", q.median_hours ? json::value(rounded(*q.median_hours, 1))
                                                       : json::value(nullptr)},
                       {"problems", q.problems},
                       {"problem_rate", rounded(q.problem_rate(), 4)},
                       {"stuck", q.stuck},
                       {"stuck_rate", rounded(q.stuck_rate(), 4)}});
    return api::ok(
        json::object{{"days", *days}, {"stuck_hours", stuck_hours}, {"couriers", std::move(out)}});
  });
}

}  // namespace

std::vector<api::Route> report_routes(Services& services) {
  Services* s = &services;
  return {
      {"GET", "/api/v1/reports/throughput", "getThroughput", api::k_supervisors,
       [s](const auto& req, const auto&) { return throughput(*s, req); }},
      {"GET", "/api/v1/reports/couriers", "getCourierQuality", api::k_supervisors,
       [s](const auto& req, const auto&) { return couriers(*s, req); }},
  };
}

}  // namespace fulfil::daemon
