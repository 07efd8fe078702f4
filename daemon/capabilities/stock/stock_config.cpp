#include "capabilities/stock/stock_config.hpp"

#include <sstream>

namespace fulfil::daemon {

namespace {

std::optional<stock::PushMode> read_mode(TableReader& r, std::string_view key,
                                         stock::PushMode dflt) {
  const std::string text = r.text(key, std::string(stock::to_string(dflt)));
  auto mode = stock::parse_push_mode(text);
  if (!mode) r.error_at(r.node(key), key, "expected \"push\", \"lower_only\" or \"off\"");
  return mode;
}

}  // namespace

void read_stock_push(TableReader& top, const std::string& file, std::vector<std::string>& errors,
                     Config& c) {
  const auto* t = top.table("stock_push");
  if (!t) return;
  auto& s = c.stock_push;
  TableReader r(*t, "stock_push", file, errors);
  s.enabled = r.boolean("enabled", true);
  s.mode = read_mode(r, "mode", stock::PushMode::push).value_or(s.mode);
  s.per_second = static_cast<int>(r.integer("per_second", 10, 1, 1000));
  s.batch = static_cast<int>(r.integer("batch", 500, 1, 20000));
  s.interval_seconds = r.integer("interval_seconds", 30, 5, 86400);
  s.safety = r.integer("safety", 0, 0, 1'000'000);
  if (const auto* shops = r.table("shops")) {
    TableReader sr(*shops, "stock_push.shops", file, errors);
    for (const auto& [name, node] : *shops) {
      const std::string shop(name.str());
      auto it = std::find_if(c.shops.begin(), c.shops.end(),
                             [&](const ShopConfig& x) { return x.name == shop; });
      if (it == c.shops.end() || !it->on_platform())
        sr.error_at(&node, shop,
                    "not a platform shop (source = \"top\" or \"rds\") of this config");
      if (auto m = read_mode(sr, shop, stock::PushMode::push)) s.shop_modes[shop] = *m;
    }
    sr.finish();
  }
  if (const auto* skus = r.table("safety_by_sku")) {
    TableReader kr(*skus, "stock_push.safety_by_sku", file, errors);
    for (const auto& [name, node] : *skus)
      s.safety_by_sku[std::string(name.str())] = kr.integer(name.str(), 0, 0, 1'000'000);
    kr.finish();
  }
  r.finish();
}

std::string describe_stock_push(const Config& c) {
  const auto& s = c.stock_push;
  std::ostringstream o;
  o << "\n[stock_push]\nenabled = " << (s.enabled ? "true" : "false") << "\nmode = \""
    << stock::to_string(s.mode) << "\"\nper_second = " << s.per_second << "\nbatch = " << s.batch
    << "\ninterval_seconds = " << s.interval_seconds << "\nsafety = " << s.safety << "\n";
  if (!s.shop_modes.empty()) {
    o << "\n[stock_push.shops]\n";
    for (const auto& [shop, mode] : s.shop_modes)
      o << toml_quoted(shop) << " = \"" << stock::to_string(mode) << "\"\n";
  }
  if (!s.safety_by_sku.empty()) {
    o << "\n[stock_push.safety_by_sku]\n";
    for (const auto& [sku, n] : s.safety_by_sku) o << toml_quoted(sku) << " = " << n << "\n";
  }
  return o.str();
}

}  // namespace fulfil::daemon
