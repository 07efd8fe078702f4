#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aftersale/settings.hpp"
#include "common/error.hpp"
#include "courier/settings.hpp"
#include "identity/login_settings.hpp"
#include "picking/settings.hpp"
#include "platform/shop_sync_job.hpp"
#include "printing/settings.hpp"
#include "reminders/settings.hpp"
#include "review/settings.hpp"
#include "stock/settings.hpp"

namespace fulfil::daemon {

// One shop and where its orders come from.
struct ShopConfig {
  // top: the API's increment; rds: the push database (Double-11 volume), with the API still
  // used for everything else (shipping, memos); csv: files from the platform's export.
  enum class Source { top, rds, csv };
  std::string name;
  Source source = Source::csv;
  std::int64_t interval_seconds = 300;
  std::string inbox;           // csv: folder watched for files
  bool skip_bad_rows = false;  // csv: import a file's readable rows, quarantine undecodable ones
  platform::TopSettings top;   // top, rds: gateway and credentials
  platform::RdsSettings rds;   // rds: the push database
  // Whether the shop is on the platform's API (shipping confirmations, memos, closes).
  bool on_platform() const { return source != Source::csv; }
};

// The whole effective configuration.
struct Config {
  std::string origin = "<embedded>";  // the file it came from
  std::string instance_id;
  std::string log_level = "info";
  bool log_json = false;
  std::int64_t shutdown_grace_seconds = 20;
  int workers = 4;
  std::string http_listen = "127.0.0.1:8080";
  std::vector<std::string> http_hosts;  // names a Host header may carry (host_allowed)
  // Proxies (nginx) whose X-Real-IP names the client: logins are throttled and audited by it.
  std::vector<std::string> http_trusted_proxies;
  // TLS on the listener itself (PEM files); both empty: plain HTTP (behind nginx, or loopback).
  std::string http_tls_cert, http_tls_key;
  std::string store_url = "sqlite:var/fulfild.db";
  identity::LoginSettings logins;
  platform::SyncSettings sync;
  outbound::HttpSettings http_client;
  std::optional<std::pair<int, int>> reconcile_at;  // Shanghai hour and minute
  std::vector<ShopConfig> shops;
  review::ReviewSettings review;
  std::int64_t review_interval_seconds = 5;  // intake, auto-approval and claim expiry
  courier::CourierSettings shipping;
  std::int64_t shipping_interval_seconds = 5;  // waybills and ship confirmations
  printing::PrintSettings printing;
  picking::PickingSettings picking;
  stock::StockPushSettings stock_push;
  std::int64_t printing_interval_seconds = 2;  // queue labels, print them
  aftersale::AftersaleSettings aftersale;
  reminders::ReminderSettings reminders;

  // The settings one shop's sync runs with.
  platform::ShopSyncSettings shop_sync(const ShopConfig& shop) const;
};

// The default configuration compiled into the binary (config/fulfild.toml).
std::string_view embedded_config();

// Parses and validates TOML text. Every problem is reported, one per line, as
// "file:line: key: what is wrong"; unknown keys are problems too.
Result<Config> parse_config(std::string_view text, const std::string& file_name);

// Reads the config file (or the embedded default when path is empty).
Result<Config> load_config(const std::optional<std::filesystem::path>& path);

// A file of secrets (shop secrets, a password) that only its owner may read: "cannot be read"
// or "readable by others (mode 0644); run chmod 600 FILE" otherwise.
Result<void> check_owner_only(const std::filesystem::path& file);

// Fills shop secrets from the secrets file (refused unless only its owner can read it) and
// then from FULFILD_<SHOP>_APP_SECRET / FULFILD_<SHOP>_SESSION; checks every platform shop
// has what it needs.
using GetEnv = std::function<const char*(const char*)>;
Result<void> apply_secrets(Config& config, const std::optional<std::filesystem::path>& secrets,
                           const GetEnv& getenv);

// The effective configuration as TOML, secrets masked.
std::string describe(const Config& config);
// What `run` opens before it binds and that parsing a config cannot see (each capability's
// check_startable: the printing font and templates, the after-sale channel's key files).
// Every problem is reported, one per line, so that check-config saying OK means the daemon
// starts.
Result<void> check_startable(const Config& config);
// What a valid configuration leaves undone ("file: key: what"): a slice nobody approves,
// nobody to release parked parcels, API couriers without a sender. check-config prints them;
// run logs them.
std::vector<std::string> config_warnings(const Config& config);

// The environment variable prefix for a shop ("tmall-flagship" -> "FULFILD_TMALL_FLAGSHIP_").
std::string env_prefix(std::string_view shop);
// The variable an SF courier's check word comes from ("sf-hk" -> FULFILD_COURIER_SF_HK_CHECK_WORD).
std::string check_word_variable(std::string_view courier_code);

}  // namespace fulfil::daemon
