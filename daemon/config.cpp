#include "config.hpp"

#include <sys/stat.h>

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

#include "aftersale_config.hpp"
#include "common/toml_reader.hpp"
#include "courier_config.hpp"
#include "http/http_server.hpp"
#include "printing_config.hpp"
#include "review_config.hpp"
#include "store/database.hpp"

namespace fulfil::daemon {

platform::ShopSyncSettings Config::shop_sync(const ShopConfig& shop) const {
  return {shop.name, shop.top, sync, http_client, 120};
}

namespace {

bool valid_shop_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

}  // namespace

Result<Config> parse_config(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return fail(ErrorKind::config, file + ":" + std::to_string(e.source().begin.line) + ": " +
                                       std::string(e.description()));
  }
  Config c;
  c.origin = file;
  std::vector<std::string> errors;
  TableReader top(root, "", file, errors);

  if (const auto* t = top.table("daemon")) {
    TableReader r(*t, "daemon", file, errors);
    c.instance_id = r.text("instance_id", "");
    c.log_level = r.text("log_level", "info");
    if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
        c.log_level != "error")
      r.error_at(r.node("log_level"), "log_level", "expected debug, info, warn or error");
    c.log_json = r.boolean("log_json", false);
    c.shutdown_grace_seconds = r.integer("shutdown_grace_seconds", 20, 1, 600);
    c.workers = static_cast<int>(r.integer("workers", 4, 1, 64));
    r.finish();
  }
  if (const auto* t = top.table("http")) {
    TableReader r(*t, "http", file, errors);
    c.http_listen = r.text("listen", c.http_listen);
    if (auto a = http::parse_listen_address(c.http_listen); !a)
      r.error_at(r.node("listen"), "listen", a.error().message);
    r.finish();
  }
  if (const auto* t = top.table("store")) {
    TableReader r(*t, "store", file, errors);
    c.store_url = r.text("url", c.store_url);
    if (auto u = store::StoreUrl::parse(c.store_url); !u)
      r.error_at(r.node("url"), "url", u.error().message);
    r.finish();
  }
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
      } else if (source == "top") {
        s.source = ShopConfig::Source::top;
        s.top.base_url = r.url("base_url", s.top.base_url);
        s.top.app_key = r.required_text("app_key", "required for source = \"top\"");
        std::string sm = r.text("sign_method", "hmac-sha256");
        if (auto m = platform::parse_sign_method(sm))
          s.top.sign_method = *m;
        else
          r.error_at(r.node("sign_method"), "sign_method", "expected md5, hmac or hmac-sha256");
      } else {
        r.error_at(r.node("source"), "source", "expected \"top\" or \"csv\"");
      }
      r.finish();
      c.shops.push_back(std::move(s));
    }
  }
  std::vector<std::string> shop_names;
  for (const auto& s : c.shops) shop_names.push_back(s.name);
  parse_review(top.table("review"), file, shop_names, errors, c.review, c.review_interval_seconds);
  parse_shipping(top.table("shipping"), file, errors, c.shipping, c.shipping_interval_seconds);
  parse_printing(top.table("printing"), file, errors, c.printing, c.printing_interval_seconds);
  parse_aftersale(top.table("aftersale"), file, errors, c.aftersale);
  for (const auto& k : c.shipping.couriers)
    if (k.source == courier::Source::cainiao && !k.cainiao.shop.empty()) {
      auto s = std::find_if(c.shops.begin(), c.shops.end(),
                            [&](const ShopConfig& x) { return x.name == k.cainiao.shop; });
      if (s == c.shops.end() || s->source != ShopConfig::Source::top)
        errors.push_back(file + ": shipping.couriers: courier " + k.code + ": shop \"" +
                         k.cainiao.shop +
                         "\" is not a platform shop (source = \"top\") of this config; Cainiao "
                         "waybills are issued under a platform shop's authorisation");
    }
  top.finish();
  if (!errors.empty()) return std::unexpected(config_error(std::move(errors)));
  return c;
}

Result<Config> load_config(const std::optional<std::filesystem::path>& path) {
  if (!path) return parse_config(embedded_config(), "<embedded>");
  std::ifstream in(*path, std::ios::binary);
  if (!in) return fail(ErrorKind::config, path->string() + ": cannot be read");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_config(buf.str(), path->string());
}

std::string check_word_variable(std::string_view courier_code) {
  return "FULFILD_COURIER_" + env_prefix(courier_code).substr(8) + "CHECK_WORD";
}

std::string env_prefix(std::string_view shop) {
  std::string out = "FULFILD_";
  for (char ch : shop)
    out.push_back(std::isalnum(static_cast<unsigned char>(ch)) ? static_cast<char>(std::toupper(ch))
                                                               : '_');
  return out + "_";
}

Result<void> apply_secrets(Config& c, const std::optional<std::filesystem::path>& secrets,
                           const GetEnv& getenv) {
  if (secrets) {
    struct stat st {};
    if (::stat(secrets->c_str(), &st) != 0)
      return fail(ErrorKind::config, secrets->string() + ": cannot be read");
    if (st.st_mode & 077) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
      return fail(ErrorKind::config, secrets->string() + ": readable by others (mode " + mode +
                                         "); run chmod 600 " + secrets->string());
    }
    std::ifstream in(*secrets, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    toml::table root;
    try {
      root = toml::parse(buf.str(), secrets->string());
    } catch (const toml::parse_error& e) {
      return fail(ErrorKind::config, secrets->string() + ":" +
                                         std::to_string(e.source().begin.line) + ": " +
                                         std::string(e.description()));
    }
    std::vector<std::string> errors;
    const std::string file = secrets->string();
    TableReader top(root, "", file, errors);
    if (const auto* shops = top.table("shops")) {
      for (const auto& [name, node] : *shops) {
        auto it = std::find_if(c.shops.begin(), c.shops.end(),
                               [&](const ShopConfig& s) { return s.name == name.str(); });
        const auto* t = node.as_table();
        if (it == c.shops.end() || !t) {
          errors.push_back(file + ":" + std::to_string(node.source().begin.line) + ": shops." +
                           std::string(name.str()) + ": no such shop in the config");
          continue;
        }
        TableReader r(*t, "shops." + std::string(name.str()), file, errors);
        it->top.app_secret = r.text("app_secret", it->top.app_secret);
        it->top.session = r.text("session", it->top.session);
        r.finish();
      }
    }
    top.finish();
    if (!errors.empty()) return std::unexpected(config_error(std::move(errors)));
  }
  std::string missing;
  for (auto& s : c.shops) {
    if (s.source != ShopConfig::Source::top) continue;
    const std::string prefix = env_prefix(s.name);
    if (const char* v = getenv((prefix + "APP_SECRET").c_str()); v && *v) s.top.app_secret = v;
    if (const char* v = getenv((prefix + "SESSION").c_str()); v && *v) s.top.session = v;
    if (s.top.app_secret.empty())
      missing +=
          "\nshop " + s.name + ": app_secret missing (secrets file or " + prefix + "APP_SECRET)";
    if (s.top.session.empty())
      missing += "\nshop " + s.name + ": session missing (secrets file or " + prefix + "SESSION)";
  }
  for (auto& k : c.shipping.couriers) {
    if (k.source != courier::Source::sf) continue;
    const std::string name = check_word_variable(k.code);
    if (const char* v = getenv(name.c_str()); v && *v) k.sf.check_word = v;
    if (k.sf.check_word.empty())
      missing += "\ncourier " + k.code + ": check_word missing (" + name + ")";
  }
  if (auto& t = c.shipping.tracking; t.enabled) {
    if (const char* v = getenv("FULFILD_KUAIDI100_KEY"); v && *v) t.kuaidi100.key = v;
    if (const char* v = getenv("FULFILD_KUAIDI100_SALT"); v && *v) t.kuaidi100.salt = v;
    if (t.kuaidi100.key.empty())
      missing += "\ntracking: Kuaidi100 key missing (FULFILD_KUAIDI100_KEY)";
    if (!t.kuaidi100.callback_url.empty() && t.kuaidi100.salt.empty())
      missing += "\ntracking: push needs a salt to check callbacks (FULFILD_KUAIDI100_SALT)";
  }
  if (!missing.empty()) return fail(ErrorKind::config, missing.substr(1));
  return {};
}

std::string describe(const Config& c) {
  const auto q = toml_quoted;
  auto secret = [&](const std::string& s) { return s.empty() ? q("") : q("***"); };
  std::ostringstream o;
  auto url = store::StoreUrl::parse(c.store_url);
  o << "# effective configuration from " << c.origin << "\n"
    << "[daemon]\ninstance_id = " << q(c.instance_id) << "\nlog_level = " << q(c.log_level)
    << "\nlog_json = " << (c.log_json ? "true" : "false")
    << "\nshutdown_grace_seconds = " << c.shutdown_grace_seconds << "\nworkers = " << c.workers
    << "\n\n[http]\nlisten = " << q(c.http_listen)
    << "\n\n[store]\nurl = " << q(url ? url->masked() : c.store_url)
    << "\n\n[sync]\nwindow_minutes = " << c.sync.window_seconds / 60
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
    o << "\n[[shops]]\nname = " << q(s.name)
      << "\nsource = " << q(s.source == ShopConfig::Source::top ? "top" : "csv")
      << "\ninterval_seconds = " << s.interval_seconds << "\n";
    if (s.source == ShopConfig::Source::csv) {
      o << "inbox = " << q(s.inbox) << "\n";
    } else {
      o << "base_url = " << q(s.top.base_url) << "\napp_key = " << q(s.top.app_key)
        << "\nsign_method = " << q(platform::to_string(s.top.sign_method))
        << "\n# app_secret = " << secret(s.top.app_secret)
        << " (from the secrets)\n# session = " << secret(s.top.session) << " (from the secrets)\n";
    }
  }
  o << describe_review(c.review, c.review_interval_seconds);
  o << describe_shipping(c.shipping, c.shipping_interval_seconds);
  o << describe_printing(c.printing, c.printing_interval_seconds);
  o << describe_aftersale(c.aftersale);
  return o.str();
}

std::vector<std::string> config_warnings(const Config& c) {
  std::vector<std::string> out;
  const auto& r = c.review;
  const std::string where = c.origin + ": ";
  // A split slice without reviewers is refused (review::validate); the pool may have none.
  for (const auto& slice : r.slicing.slices) {
    if (!slice.reviewers.empty() || r.auto_approve) continue;
    out.push_back(where + "review.slices \"" + slice.name +
                  "\": no reviewers and auto_approve = false: " +
                  (r.supervisors.empty() ? "its parcels are never approved"
                                         : "only a supervisor approves its parcels"));
  }
  if (r.supervisors.empty() && r.problem_handlers.empty())
    out.push_back(where +
                  "review: no supervisors and no problem_handlers: nobody may release a parked "
                  "(problem) parcel");
  const auto& sender = c.shipping.sender;
  for (const auto& courier : c.shipping.couriers)
    if (courier.source != courier::Source::pool &&
        (sender.name.empty() || sender.mobile.empty() || sender.address.empty())) {
      out.push_back(where + "shipping.sender: name, mobile and address are needed for " +
                    courier.code + "'s waybills (its API refuses them without a sender)");
      break;
    }
  return out;
}

}  // namespace fulfil::daemon
