#include "capabilities/stock/stock_routes.hpp"

#include <boost/json/array.hpp>

#include "api/store_call.hpp"
#include "common/timeutil.hpp"
#include "stock/mappings.hpp"
#include "stock/stock_pusher.hpp"
#include "store/row_reader.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

namespace {

json::object row_json(const stock::PushRow& r) {
  return {{"shop", r.shop},
          {"sku", r.sku},
          {"num_iid", std::to_string(r.num_iid)},
          {"sku_id", std::to_string(r.sku_id)},
          {"on_hand", r.on_hand},
          {"reserved", r.reserved},
          {"safety", r.safety},
          {"wanted", r.wanted},
          {"pushed", r.pushed ? json::value(*r.pushed) : json::value(nullptr)},
          {"pushed_at", api::time_or_null(r.pushed_at)},
          {"state", r.state},
          {"held", api::text_or_null(r.held)},
          {"last_error", api::text_or_null(r.last_error)},
          {"attempts", r.attempts}};
}

const ShopConfig* platform_shop(const Config& c, const std::string& name) {
  for (const auto& s : c.shops)
    if (s.name == name && s.on_platform()) return &s;
  return nullptr;
}

class StockRoutes {
 public:
  explicit StockRoutes(Services& s) : m_s(s) {}

  http::Response report(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"shop", "state", "limit"})) return *refused;
    auto limit = api::limit_param(req, 200, 5000);
    if (!limit) return from_error(limit.error());
    auto cfg = m_s.live.get();
    const std::string shop = req.query.contains("shop") ? req.query.at("shop") : "";
    const std::string state = req.query.contains("state") ? req.query.at("state") : "";
    if (!shop.empty() && !platform_shop(*cfg, shop))
      return api::error(404, "not_found", "no platform shop named " + shop);
    static const std::set<std::string> k_states = {"",    "new",  "pushed", "pushing",
                                                   "due", "held", "refused"};
    if (!k_states.contains(state))
      return api::error(400, "bad_request",
                        "state: expected new, pushed, pushing, due, held or refused");
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      stock::StockPusher pusher(c, m_s.clock, cfg->stock_push);
      auto rows = pusher.rows(shop, state, *limit);
      if (!rows) return from_error(rows.error());
      auto unmapped = pusher.unmapped(100);
      if (!unmapped) return from_error(unmapped.error());
      auto modes = modes_json(pusher);
      if (!modes) return from_error(modes.error());
      json::array list, skus;
      for (const auto& r : *rows) list.push_back(row_json(r));
      for (const auto& sku : *unmapped) skus.push_back(json::value(sku));
      return api::ok(json::object{{"enabled", cfg->stock_push.enabled},
                                  {"modes", std::move(*modes)},
                                  {"skus", std::move(list)},
                                  {"unmapped", std::move(skus)}});
    });
  }

  http::Response load_mappings(const http::Request& req) {
    auto it = req.query.find("shop");
    if (it == req.query.end() || !platform_shop(*m_s.live.get(), it->second))
      return api::error(400, "bad_request", "shop: name a platform shop of the config");
    return api::with_store(m_s.store, store::Durability::strict, [&](store::Connection& c) {
      auto r = stock::load_mappings(c, it->second, req.body, "upload", m_s.clock.now());
      if (!r) return from_error(r.error());
      return api::ok(json::object{{"rows", r->rows}, {"added", r->added}, {"changed", r->changed}});
    });
  }

  http::Response set_switch(const http::Request& req) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto scope = api::text_field(*body, "scope");
    if (!scope) return from_error(scope.error());
    if (*scope != "*" && !platform_shop(*m_s.live.get(), *scope))
      return api::error(400, "bad_request", "scope: \"*\" or a platform shop of the config");
    std::optional<stock::PushMode> mode;
    if (const auto* m = body->if_contains("mode"); m && !m->is_null()) {
      mode = m->is_string() ? stock::parse_push_mode(m->as_string()) : std::nullopt;
      if (!mode)
        return api::error(
            400, "bad_request",
            "mode: expected \"push\", \"lower_only\", \"off\" or null (the config's)");
    }
    return api::with_store(m_s.store, store::Durability::strict, [&](store::Connection& c) {
      stock::StockPusher pusher(c, m_s.clock, m_s.live.get()->stock_push);
      if (auto r = pusher.set_mode(*scope, mode, req.user); !r) return from_error(r.error());
      auto modes = modes_json(pusher);
      if (!modes) return from_error(modes.error());
      return api::ok(json::object{{"modes", std::move(*modes)}});
    });
  }

 private:
  // The mode in force for each platform shop.
  Result<json::object> modes_json(stock::StockPusher& pusher) {
    json::object modes;
    for (const auto& s : m_s.live.get()->shops)
      if (s.on_platform()) {
        auto m = pusher.mode_of(s.name);
        if (!m) return std::unexpected(m.error());
        modes[s.name] = stock::to_string(*m);
      }
    return modes;
  }
  Services& m_s;
};

}  // namespace

std::vector<api::Route> stock_routes(Services& services) {
  auto r = std::make_shared<StockRoutes>(services);
  std::vector<api::Route> out{
      {"GET", "/api/v1/stock-push", "getStockPush", api::k_any_staff,
       [r](const auto& req, const auto&) { return r->report(req); }},
      {"POST",
       "/api/v1/stock-push/mappings",
       "loadStockMappings",
       api::k_supervisors,
       [r](const auto& req, const auto&) { return r->load_mappings(req); },
       {},
       {},
       {"text/csv", "text/plain"}},
      {"POST", "/api/v1/stock-push/switch", "setStockPushSwitch", api::k_supervisors,
       [r](const auto& req, const auto&) { return r->set_switch(req); }},
  };
  api::audit_calls(out, "loadStockMappings", "stock.mappings");
  api::audit_calls(out, "setStockPushSwitch", "stock.switch");
  return out;
}

void stock_health(Services& s, json::object& out, bool&) {
  auto conn = s.store.local(store::Durability::relaxed);
  if (!conn) return;
  try {
    json::object counts;
    soci::rowset<soci::row> rows =
        ((*conn)->sql().prepare << "SELECT state, COUNT(*) FROM stock_pushes GROUP BY state");
    for (const auto& r : rows) counts[store::get_text(r, 0)] = store::get_int(r, 1);
    long long unmapped = 0;
    (*conn)->sql() << "SELECT COUNT(*) FROM stock s WHERE NOT EXISTS (SELECT 1 FROM "
                      "stock_mappings m WHERE m.sku = s.sku)",
        soci::into(unmapped);
    counts["unmapped"] = unmapped;
    out["stock_push"] = std::move(counts);
  } catch (const std::exception&) {
    // /healthz says what it can; the store's own health is reported elsewhere
  }
}

}  // namespace fulfil::daemon
