#include "capabilities/sync/sync_config.hpp"

#include <cstdio>
#include <set>
#include <sstream>

namespace fulfil::daemon {

namespace {

bool valid_shop_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

// The push database of a shop with source = "rds"; its password comes from the secrets.
void read_rds(TableReader& r, platform::RdsSettings& rds) {
  rds.url = r.required_text("rds_url", "required for source = \"rds\" (mysql://user@host:port/db)");
  if (!rds.url.empty())
    if (auto conn = platform::rds_connection_string(rds); !conn)
      r.error_at(r.node("rds_url"), "rds_url", conn.error().message);
  rds.seller_nick = r.required_text(
      "seller_nick", "required for source = \"rds\": the shop's name on the platform");
  rds.overlap_seconds = r.integer("rds_overlap_seconds", rds.overlap_seconds, 0, 86400);
  rds.batch = static_cast<int>(r.integer("rds_batch", rds.batch, 1, 20000));
  if (r.node("rds_password")) {
    r.error_at(r.node("rds_password"), "rds_password",
               "secrets do not belong in the config: use the secrets file");
    (void)r.text("rds_password", "");
  }
}

}  // namespace

void read_sync(TableReader& top, const std::string& file, std::vector<std::string>& errors,
               Config& c) {
  if (const auto* t = top.table("sync")) {
    TableReader r(*t, "sync", file, errors);
    c.sync.window_seconds = r.integer("window_minutes", 30, 1, 1440) * 60;
    c.sync.overlap_seconds = r.integer("overlap_seconds", 300, 0, 86400);
    c.sync.settle_seconds = r.integer("settle_seconds", 60, 0, 3600);
    c.sync.initial_lookback_seconds = r.integer("initial_lookback_hours", 24, 1, 24 * 90) * 3600;
    c.sync.page_size = static_cast<int>(r.integer("page_size", 100, 1, 100));
    c.sync.retry.max_attempts = static_cast<int>(r.integer("max_attempts", 6, 1, 100));
    c.http_client.connect_timeout =
        std::chrono::seconds(r.integer("connect_timeout_seconds", 5, 1, 300));
    c.http_client.total_timeout =
        std::chrono::seconds(r.integer("request_timeout_seconds", 30, 1, 600));
    std::string at = r.text("reconcile_at", "03:30");
    if (!at.empty()) {
      unsigned h = 0, m = 0;
      char extra;
      if (std::sscanf(at.c_str(), "%2u:%2u%c", &h, &m, &extra) != 2 || h > 23 || m > 59 ||
          at.size() != 5)
        r.error_at(r.node("reconcile_at"), "reconcile_at",
                   "expected HH:MM (Shanghai time) or \"\"");
      else
        c.reconcile_at = std::pair{static_cast<int>(h), static_cast<int>(m)};
    }
    r.finish();
  } else {
    c.reconcile_at = std::pair{3, 30};
  }
  if (const auto* shops = top.array("shops")) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < shops->size(); ++i) {
      const toml::node& n = *shops->get(i);
      const auto* t = n.as_table();
      std::string path = "shops[" + std::to_string(i) + "]";
      if (!t) {
        errors.push_back(file + ":" + std::to_string(n.source().begin.line) + ": " + path +
                         ": expected a table");
        continue;
      }
      TableReader r(*t, path, file, errors);
      ShopConfig s;
      s.name = r.text("name", "");
      if (!valid_shop_name(s.name))
        r.error_at(r.node("name"), "name", "expected 1-64 letters, digits, '-' or '_'");
      else if (!names.insert(s.name).second)
        r.error_at(r.node("name"), "name", "shop \"" + s.name + "\" is configured twice");
      std::string source = r.text("source", "top");
      s.interval_seconds = r.integer("interval_seconds", 300, 5, 86400);
      for (const char* secret : {"app_secret", "session"})
        if (r.node(secret)) {
          r.error_at(r.node(secret), secret,
                     "secrets do not belong in the config: use the secrets file or " +
                         env_prefix(s.name) +
                         (std::string(secret) == "session" ? "SESSION" : "APP_SECRET"));
          (void)r.text(secret, "");
        }
      if (source == "csv") {
        s.source = ShopConfig::Source::csv;
        s.inbox = r.text("inbox", "var/inbox");
        s.skip_bad_rows = r.boolean("skip_bad_rows", false);
      } else if (source == "top" || source == "rds") {
        s.source = source == "top" ? ShopConfig::Source::top : ShopConfig::Source::rds;
        if (s.source == ShopConfig::Source::rds) read_rds(r, s.rds);
        s.top.base_url = r.url("base_url", s.top.base_url);
        s.top.app_key = r.required_text("app_key", "required for source = \"top\"");
        std::string sm = r.text("sign_method", "hmac-sha256");
        if (auto m = platform::parse_sign_method(sm))
          s.top.sign_method = *m;
        else
          r.error_at(r.node("sign_method"), "sign_method", "expected md5, hmac or hmac-sha256");
      } else {
        r.error_at(r.node("source"), "source", "expected \"top\", \"rds\" or \"csv\"");
      }
      r.finish();
      c.shops.push_back(std::move(s));
    }
  }
}

std::string describe_sync(const Config& c) {
  const auto q = toml_quoted;
  auto secret = [&](const std::string& s) { return s.empty() ? q("") : q("***"); };
  std::ostringstream o;
  o << "\n[sync]\nwindow_minutes = " << c.sync.window_seconds / 60
    << "\noverlap_seconds = " << c.sync.overlap_seconds
    << "\nsettle_seconds = " << c.sync.settle_seconds
    << "\ninitial_lookback_hours = " << c.sync.initial_lookback_seconds / 3600
    << "\npage_size = " << c.sync.page_size << "\nmax_attempts = " << c.sync.retry.max_attempts
    << "\nconnect_timeout_seconds = "
    << std::chrono::duration_cast<std::chrono::seconds>(c.http_client.connect_timeout).count()
    << "\nrequest_timeout_seconds = "
    << std::chrono::duration_cast<std::chrono::seconds>(c.http_client.total_timeout).count();
  char at[8] = "";
  if (c.reconcile_at)
    std::snprintf(at, sizeof at, "%02d:%02d", c.reconcile_at->first, c.reconcile_at->second);
  o << "\nreconcile_at = " << q(at) << "\n";
  for (const auto& s : c.shops) {
    o << "\n[[shops]]\nname = " << q(s.name) << "\nsource = "
      << q(s.source == ShopConfig::Source::top   ? "top"
           : s.source == ShopConfig::Source::rds ? "rds"
                                                 : "csv")
      << "\ninterval_seconds = " << s.interval_seconds << "\n";
    if (s.source == ShopConfig::Source::csv) {
      o << "inbox = " << q(s.inbox) << "\nskip_bad_rows = " << (s.skip_bad_rows ? "true" : "false")
        << "\n";
    } else {
      if (s.source == ShopConfig::Source::rds)
        o << "rds_url = " << q(s.rds.url) << "\nseller_nick = " << q(s.rds.seller_nick)
          << "\nrds_overlap_seconds = " << s.rds.overlap_seconds << "\nrds_batch = " << s.rds.batch
          << "\n# rds_password = " << secret(s.rds.password) << " (from the secrets)\n";
      o << "base_url = " << q(s.top.base_url) << "\napp_key = " << q(s.top.app_key)
        << "\nsign_method = " << q(platform::to_string(s.top.sign_method))
        << "\n# app_secret = " << secret(s.top.app_secret)
        << " (from the secrets)\n# session = " << secret(s.top.session) << " (from the secrets)\n";
    }
  }
  return o.str();
}

}  // namespace fulfil::daemon
