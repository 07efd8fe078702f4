#include "capabilities/picking/wave_routes.hpp"

#include <boost/json/array.hpp>

#include "api/store_call.hpp"
#include "capabilities/picking/wave_json.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

namespace {

class WaveRoutes {
 public:
  explicit WaveRoutes(Services& s) : m_s(s) {}

  template <class Fn>
  http::Response with_waves(store::Durability d, Fn fn) {
    return api::with_store(m_s.store, d, [&](store::Connection& c) {
      picking::WaveService waves(c, m_s.clock, m_s.live.get()->picking);
      return fn(waves);
    });
  }

  static http::Response answer(const Result<picking::Wave>& w) {
    if (!w) return from_error(w.error());
    return api::ok(wave_json(*w));
  }

  http::Response list(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"limit"})) return *refused;
    auto limit = api::limit_param(req, 20, 500);
    if (!limit) return from_error(limit.error());
    return with_waves(store::Durability::relaxed, [&](picking::WaveService& s) {
      auto waves = s.list(*limit);
      if (!waves) return from_error(waves.error());
      json::array out;
      for (const auto& w : *waves) out.push_back(wave_summary_json(w));
      return api::ok(json::object{{"waves", std::move(out)}});
    });
  }

  http::Response create(const http::Request& req) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto size = api::int_field(*body, "size", m_s.live.get()->picking.wave_size);
    if (!size) return from_error(size.error());
    return with_waves(store::Durability::strict, [&](picking::WaveService& s) {
      auto w = s.create(static_cast<int>(std::clamp<std::int64_t>(*size, -1, 1 << 20)), req.user);
      if (!w) return from_error(w.error());
      auto res = api::ok(wave_json(*w));
      res.status = 201;
      return res;
    });
  }

  http::Response get(std::int64_t id) {
    return with_waves(store::Durability::relaxed,
                      [&](picking::WaveService& s) { return answer(s.get(id)); });
  }

  http::Response pick(const http::Request& req, std::int64_t id) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto sku = api::text_field(*body, "sku");
    if (!sku) return from_error(sku.error());
    auto picked = api::int_field(*body, "picked");
    if (!picked) return from_error(picked.error());
    auto reason = api::text_field(*body, "short_reason", "");
    if (!reason) return from_error(reason.error());
    return with_waves(store::Durability::strict, [&](picking::WaveService& s) {
      return answer(s.pick(id, *sku,
                           static_cast<int>(std::clamp<std::int64_t>(*picked, -1, 1 << 30)),
                           *reason, req.user));
    });
  }

  http::Response finish(const http::Request& req, std::int64_t id) {
    return with_waves(store::Durability::strict,
                      [&](picking::WaveService& s) { return answer(s.finish(id, req.user)); });
  }

  http::Response best_sellers(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"limit"})) return *refused;
    auto limit = api::limit_param(req, 20, 200);
    if (!limit) return from_error(limit.error());
    return with_waves(store::Durability::relaxed, [&](picking::WaveService& s) {
      auto found = s.best_sellers(*limit);
      if (!found) return from_error(found.error());
      json::array out;
      for (const auto& b : *found)
        out.push_back(json::object{{"sku", b.sku},
                                   {"location", api::text_or_null(b.location)},
                                   {"quantity", b.quantity},
                                   {"parcels", b.parcels},
                                   {"in_promo_zone", b.in_promo_zone}});
      return api::ok(
          json::object{{"promo_zone", api::text_or_null(m_s.live.get()->picking.promo_zone)},
                       {"best_sellers", std::move(out)}});
    });
  }

 private:
  Services& m_s;
};

}  // namespace

std::vector<api::Route> wave_routes(Services& services) {
  auto r = std::make_shared<WaveRoutes>(services);
  const api::Roles pickers = api::roles({api::StaffRole::picker, api::StaffRole::supervisor});
  const std::map<std::string, std::string> wave_id{{"id", "wave id"}};
  std::vector<api::Route> out{
      {"GET", "/api/v1/waves", "listWaves", api::k_any_staff,
       [r](const auto& req, const auto&) { return r->list(req); }},
      {"POST", "/api/v1/waves", "createWave", pickers,
       [r](const auto& req, const auto&) { return r->create(req); }},
      {"GET", "/api/v1/waves/{id}", "getWave", api::k_any_staff,
       [r](const auto&, const auto& p) { return r->get(p.id("id")); }, wave_id},
      {"POST", "/api/v1/waves/{id}/pick", "pickWaveLine", pickers,
       [r](const auto& req, const auto& p) { return r->pick(req, p.id("id")); }, wave_id},
      {"POST", "/api/v1/waves/{id}/done", "finishWave", pickers,
       [r](const auto& req, const auto& p) { return r->finish(req, p.id("id")); }, wave_id},
      {"GET", "/api/v1/picking/best-sellers", "listBestSellers", api::k_any_staff,
       [r](const auto& req, const auto&) { return r->best_sellers(req); }},
  };
  api::audit_calls(out, "createWave", "wave.create");
  api::audit_calls(out, "finishWave", "wave.done");
  return out;
}

}  // namespace fulfil::daemon
