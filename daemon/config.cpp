#include "config.hpp"

#include <boost/asio/ip/address.hpp>

#include <sys/stat.h>

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

#include "api/host_check.hpp"
#include "capabilities.hpp"
#include "common/toml_reader.hpp"
#include "http/http_server.hpp"
#include "store/database.hpp"

namespace fulfil::daemon {

platform::ShopSyncSettings Config::shop_sync(const ShopConfig& shop) const {
  return {shop.name, shop.top, sync, http_client, 120};
}

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
    c.http_hosts = r.strings("hosts", {});
    for (const auto& h : c.http_hosts)
      if (h.empty() || h.find_first_of(":/ ") != std::string::npos)
        r.error_at(r.node("hosts"), "hosts", "\"" + h + "\" is not a host name");
    c.http_trusted_proxies = r.strings("trusted_proxies", {});
    for (const auto& p : c.http_trusted_proxies) {
      boost::system::error_code ec;
      (void)boost::asio::ip::make_address(p, ec);
      if (ec)
        r.error_at(r.node("trusted_proxies"), "trusted_proxies",
                   "\"" + p + "\" is not an IP address");
    }
    c.http_tls_cert = r.text("tls_cert", "");
    c.http_tls_key = r.text("tls_key", "");
    if (c.http_tls_cert.empty() != c.http_tls_key.empty())
      r.error_at(r.node(c.http_tls_cert.empty() ? "tls_key" : "tls_cert"),
                 c.http_tls_cert.empty() ? "tls_key" : "tls_cert",
                 "TLS needs both tls_cert and tls_key (PEM files)");
    r.finish();
  }
  if (const auto* t = top.table("store")) {
    TableReader r(*t, "store", file, errors);
    c.store_url = r.text("url", c.store_url);
    if (auto u = store::StoreUrl::parse(c.store_url); !u)
      r.error_at(r.node("url"), "url", u.error().message);
    r.finish();
  }
  for (const auto& capability : make_capabilities())
    for (const auto& section : capability->config_sections()) section.read(top, file, errors, c);
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

Result<void> check_owner_only(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    return fail(ErrorKind::config, file.string() + ": cannot be read");
  if (st.st_mode & 077) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
    return fail(ErrorKind::config, file.string() + ": readable by others (mode " + mode +
                                       "); run chmod 600 " + file.string());
  }
  return {};
}

Result<void> apply_secrets(Config& c, const std::optional<std::filesystem::path>& secrets,
                           const GetEnv& getenv) {
  if (secrets) {
    if (auto private_file = check_owner_only(*secrets); !private_file)
      return std::unexpected(private_file.error());
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
        it->rds.password = r.text("rds_password", it->rds.password);
        r.finish();
      }
    }
    if (const auto* sms = top.table("sms")) {
      TableReader r(*sms, "sms", file, errors);
      c.reminders.sms.access_key_secret =
          r.text("access_key_secret", c.reminders.sms.access_key_secret);
      r.finish();
    }
    top.finish();
    if (!errors.empty()) return std::unexpected(config_error(std::move(errors)));
  }
  std::string missing;
  for (auto& s : c.shops) {
    if (!s.on_platform()) continue;
    const std::string prefix = env_prefix(s.name);
    if (const char* v = getenv((prefix + "APP_SECRET").c_str()); v && *v) s.top.app_secret = v;
    if (const char* v = getenv((prefix + "SESSION").c_str()); v && *v) s.top.session = v;
    if (const char* v = getenv((prefix + "RDS_PASSWORD").c_str()); v && *v) s.rds.password = v;
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
  if (auto& sms = c.reminders.sms; c.reminders.enabled && sms.enabled) {
    if (const char* v = getenv("FULFILD_SMS_ACCESS_KEY_SECRET"); v && *v) sms.access_key_secret = v;
    if (sms.access_key_secret.empty())
      missing +=
          "\nreminders: SMS access key secret missing (secrets file [sms] or "
          "FULFILD_SMS_ACCESS_KEY_SECRET)";
  }
  if (!missing.empty()) return fail(ErrorKind::config, missing.substr(1));
  return {};
}

std::string describe(const Config& c) {
  const auto q = toml_quoted;
  std::ostringstream o;
  auto url = store::StoreUrl::parse(c.store_url);
  o << "# effective configuration from " << c.origin << "\n"
    << "[daemon]\ninstance_id = " << q(c.instance_id) << "\nlog_level = " << q(c.log_level)
    << "\nlog_json = " << (c.log_json ? "true" : "false")
    << "\nshutdown_grace_seconds = " << c.shutdown_grace_seconds << "\nworkers = " << c.workers
    << "\n\n[http]\nlisten = " << q(c.http_listen) << "\nhosts = " << toml_list(c.http_hosts)
    << "\ntrusted_proxies = " << toml_list(c.http_trusted_proxies)
    << "\ntls_cert = " << q(c.http_tls_cert) << "\ntls_key = " << q(c.http_tls_key)
    << "\n\n[store]\nurl = " << q(url ? url->masked() : c.store_url) << "\n";
  for (const auto& capability : make_capabilities())
    for (const auto& section : capability->config_sections()) o << section.describe(c);
  return o.str();
}

Result<void> check_startable(const Config& config) {
  std::vector<std::string> errors;
  if (!config.http_tls_cert.empty())
    if (auto tls = http::server_tls_context(config.http_tls_cert, config.http_tls_key); !tls)
      errors.push_back(config.origin + ": " + tls.error().message);
  for (const auto& capability : make_capabilities()) capability->check_startable(config, errors);
  if (errors.empty()) return {};
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "\n") + e;
  return fail(ErrorKind::config, message);
}

std::vector<std::string> config_warnings(const Config& c) {
  std::vector<std::string> out;
  if (auto a = http::parse_listen_address(c.http_listen);
      a && !api::is_loopback(a->first) && c.http_tls_cert.empty())
    out.push_back(c.origin + ": http.listen: " + c.http_listen +
                  " is reached from other machines without TLS: passwords and buyers' names, "
                  "phones and addresses cross the network in clear; set tls_cert and tls_key, put "
                  "nginx with TLS in front (README) or listen on 127.0.0.1");
  for (const auto& capability : make_capabilities())
    for (const auto& section : capability->config_sections())
      if (section.warnings) section.warnings(c, out);
  return out;
}

}  // namespace fulfil::daemon
