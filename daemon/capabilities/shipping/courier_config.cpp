#include "capabilities/shipping/courier_config.hpp"

#include <algorithm>
#include <sstream>

#include "common/toml_reader.hpp"
#include "config.hpp"

namespace fulfil::daemon {

namespace {

constexpr std::string_view k_confirm[] = {"waybill", "printed", "packed"};

}  // namespace

void parse_shipping(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, courier::CourierSettings& out,
                    std::int64_t& interval_seconds) {
  if (!table) return;
  TableReader r(*table, "shipping", file, errors);
  interval_seconds = r.integer("interval_seconds", 5, 1, 3600);
  out.batch = static_cast<int>(r.integer("batch", 1000, 1, 20000));
  out.honour_buyer_request = r.boolean("honour_buyer_request", true);
  out.max_confirm_attempts = static_cast<int>(r.integer("max_confirm_attempts", 20, 1, 1000));
  out.reconcile_after_hours = static_cast<int>(r.integer("reconcile_after_hours", 6, 1, 240));
  if (const auto* t = r.table("sender")) {
    TableReader c(*t, "shipping.sender", file, errors);
    out.sender = {c.text("name", ""), c.text("mobile", ""),   c.text("province", ""),
                  c.text("city", ""), c.text("district", ""), c.text("address", "")};
    c.finish();
  }
  if (const auto* t = r.table("tracking")) {
    TableReader c(*t, "shipping.tracking", file, errors);
    auto& k = out.tracking;
    k.enabled = c.boolean("enabled", false);
    k.kuaidi100.base_url = c.url("base_url", k.kuaidi100.base_url);
    k.kuaidi100.customer = k.enabled ? c.required_text("customer",
                                                       "required when tracking is enabled (the "
                                                       "Kuaidi100 account)")
                                     : c.text("customer", "");
    if (c.node("callback_url")) k.kuaidi100.callback_url = c.url("callback_url", "");
    k.kuaidi100.in_flight = static_cast<int>(c.integer("in_flight", 16, 1, 256));
    k.poll_minutes = static_cast<int>(c.integer("poll_minutes", 120, 5, 7 * 24 * 60));
    k.interval_seconds = static_cast<int>(c.integer("interval_seconds", 60, 1, 3600));
    k.stuck_hours = static_cast<int>(c.integer("stuck_hours", 48, 1, 30 * 24));
    for (const char* secret : {"key", "salt"})
      if (c.node(secret)) {
        c.error_at(c.node(secret), secret,
                   std::string("secrets do not belong in the config: set FULFILD_KUAIDI100_") +
                       (std::string_view(secret) == "key" ? "KEY" : "SALT"));
        (void)c.text(secret, "");
      }
    c.finish();
  }
  const std::string confirm = r.text("confirm_at", "waybill");
  if (confirm == "waybill")
    out.confirm_at = courier::ConfirmAt::waybill;
  else if (confirm == "printed")
    out.confirm_at = courier::ConfirmAt::printed;
  else if (confirm == "packed")
    out.confirm_at = courier::ConfirmAt::packed;
  else
    r.error_at(r.node("confirm_at"), "confirm_at",
               "expected \"waybill\", \"printed\" or \"packed\"");
  if (const auto* couriers = r.array("couriers")) {
    for (std::size_t i = 0; i < couriers->size(); ++i) {
      const auto* t = couriers->get(i)->as_table();
      if (!t) continue;
      TableReader c(*t, "shipping.couriers[" + std::to_string(i) + "]", file, errors);
      courier::Courier k;
      k.code = c.text("code", "");
      if (k.code.empty() || k.code.size() > 16)
        c.error_at(c.node("code"), "code", "expected the platform's company code (ZTO, SF, ...)");
      k.name = c.text("name", k.code);
      const std::string source = c.text("source", "pool");
      if (source == "sf") {
        k.source = courier::Source::sf;
        k.sf.base_url = c.url("base_url", k.sf.base_url);
        k.sf.partner_id = c.required_text("partner_id", "required for source = \"sf\"");
        k.sf.monthly_card = c.text("monthly_card", "");
        k.sf.express_type = static_cast<int>(c.integer("express_type", 2, 1, 999));
        k.sf.in_flight = static_cast<int>(c.integer("in_flight", k.sf.in_flight, 1, 512));
        if (c.node("check_word")) {
          c.error_at(c.node("check_word"), "check_word",
                     "secrets do not belong in the config: set " + check_word_variable(k.code));
          (void)c.text("check_word", "");
        }
      } else if (source == "cainiao") {
        k.source = courier::Source::cainiao;
        k.cainiao.shop = c.required_text("shop",
                                         "required for source = \"cainiao\": the platform "
                                         "shop whose authorisation issues the waybills");
        k.cainiao.template_url = c.url("template_url", k.cainiao.template_url);
        k.cainiao.in_flight = static_cast<int>(c.integer("in_flight", k.cainiao.in_flight, 1, 256));
      } else if (source != "pool") {
        c.error_at(c.node("source"), "source", "expected \"pool\", \"sf\" or \"cainiao\"");
      }
      k.share = static_cast<int>(c.integer("share", 0, 0, 100));
      k.daily_capacity = c.integer("daily_capacity", 0, 0, 10'000'000);
      k.not_served = c.strings("not_served");
      k.aliases = c.strings("aliases");
      k.cost = c.integer("cost_fen", 0, 0, 100'000'00);
      k.low_pool = c.integer("low_pool", 500, 0, 10'000'000);
      c.finish();
      out.couriers.push_back(std::move(k));
    }
  }
  if (const auto* rules = r.array("region_rules")) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const auto* t = rules->get(i)->as_table();
      if (!t) continue;
      TableReader c(*t, "shipping.region_rules[" + std::to_string(i) + "]", file, errors);
      out.region_rules.push_back({c.text("region", ""), c.text("courier", "")});
      c.finish();
    }
  }
  r.finish();
  const auto line = table->source().begin.line;
  for (const auto& problem : courier::validate(out))
    errors.push_back(file + ":" + std::to_string(line) + ": shipping: " + problem);
}

std::string describe_shipping(const courier::CourierSettings& s, std::int64_t interval_seconds) {
  std::ostringstream o;
  o << "\n[shipping]\ninterval_seconds = " << interval_seconds << "\nbatch = " << s.batch
    << "\nhonour_buyer_request = " << (s.honour_buyer_request ? "true" : "false")
    << "\nconfirm_at = " << toml_quoted(k_confirm[static_cast<int>(s.confirm_at)])
    << "\nmax_confirm_attempts = " << s.max_confirm_attempts
    << "\nreconcile_after_hours = " << s.reconcile_after_hours << "\n";
  for (const auto& c : s.couriers)
    o << "\n[[shipping.couriers]]\ncode = " << toml_quoted(c.code)
      << "\nname = " << toml_quoted(c.name) << "\nsource = "
      << toml_quoted(c.source == courier::Source::sf        ? "sf"
                     : c.source == courier::Source::cainiao ? "cainiao"
                                                            : "pool")
      << (c.source == courier::Source::cainiao
              ? "\nshop = " + toml_quoted(c.cainiao.shop) +
                    "\ntemplate_url = " + toml_quoted(c.cainiao.template_url) +
                    "\nin_flight = " + std::to_string(c.cainiao.in_flight)
              : std::string())
      << (c.source == courier::Source::sf
              ? "\nbase_url = " + toml_quoted(c.sf.base_url) +
                    "\npartner_id = " + toml_quoted(c.sf.partner_id) +
                    "\nmonthly_card = " + toml_quoted(c.sf.monthly_card) +
                    "\nexpress_type = " + std::to_string(c.sf.express_type) +
                    "\nin_flight = " + std::to_string(c.sf.in_flight) + "\n# check_word from " +
                    check_word_variable(c.code) + ": " +
                    (c.sf.check_word.empty() ? "missing" : "***")
              : std::string())
      << "\nshare = " << c.share << "\ndaily_capacity = " << c.daily_capacity
      << "\nnot_served = " << toml_list(c.not_served) << "\naliases = " << toml_list(c.aliases)
      << "\ncost_fen = " << c.cost << "\nlow_pool = " << c.low_pool << "\n";
  const auto& t = s.tracking;
  o << "\n[shipping.tracking]\nenabled = " << (t.enabled ? "true" : "false")
    << "\nbase_url = " << toml_quoted(t.kuaidi100.base_url)
    << "\ncustomer = " << toml_quoted(t.kuaidi100.customer)
    << (t.kuaidi100.callback_url.empty()
            ? std::string("\n# callback_url unset: polling")
            : "\ncallback_url = " + toml_quoted(t.kuaidi100.callback_url))
    << "\nin_flight = " << t.kuaidi100.in_flight << "\npoll_minutes = " << t.poll_minutes
    << "\ninterval_seconds = " << t.interval_seconds << "\nstuck_hours = " << t.stuck_hours
    << "\n# key and salt from FULFILD_KUAIDI100_KEY / _SALT: "
    << (t.kuaidi100.key.empty() ? "missing" : "***") << "\n";
  o << "\n[shipping.sender]\nname = " << toml_quoted(s.sender.name)
    << "\nmobile = " << toml_quoted(s.sender.mobile)
    << "\nprovince = " << toml_quoted(s.sender.province)
    << "\ncity = " << toml_quoted(s.sender.city)
    << "\ndistrict = " << toml_quoted(s.sender.district)
    << "\naddress = " << toml_quoted(s.sender.address) << "\n";
  for (const auto& rule : s.region_rules)
    o << "\n[[shipping.region_rules]]\nregion = " << toml_quoted(rule.region)
      << "\ncourier = " << toml_quoted(rule.courier) << "\n";
  return o.str();
}

}  // namespace fulfil::daemon

namespace fulfil::daemon {

void check_cainiao_shops(const courier::CourierSettings& s, const std::vector<ShopConfig>& shops,
                         const std::string& file, std::vector<std::string>& errors) {
  for (const auto& k : s.couriers)
    if (k.source == courier::Source::cainiao && !k.cainiao.shop.empty()) {
      auto shop = std::find_if(shops.begin(), shops.end(),
                               [&](const ShopConfig& x) { return x.name == k.cainiao.shop; });
      if (shop == shops.end() || !shop->on_platform())
        errors.push_back(
            file + ": shipping.couriers: courier " + k.code + ": shop \"" + k.cainiao.shop +
            "\" is not a platform shop (source = \"top\" or \"rds\") of this config; Cainiao "
            "waybills are issued under a platform shop's authorisation");
    }
}

void shipping_warnings(const courier::CourierSettings& s, const std::string& origin,
                       std::vector<std::string>& out) {
  const auto& sender = s.sender;
  for (const auto& courier : s.couriers)
    if (courier.source != courier::Source::pool &&
        (sender.name.empty() || sender.mobile.empty() || sender.address.empty())) {
      out.push_back(origin + ": shipping.sender: name, mobile and address are needed for " +
                    courier.code + "'s waybills (its API refuses them without a sender)");
      break;
    }
}

}  // namespace fulfil::daemon
