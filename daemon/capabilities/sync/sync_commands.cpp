#include "capabilities/sync/sync_commands.hpp"

#include <iostream>

#include "capabilities/sync/sync_jobs.hpp"
#include "command_support.hpp"
#include "common/timeutil.hpp"
#include "csvimport/csv_importer.hpp"
#include "outbound/curl_multi_client.hpp"

namespace fulfil::daemon {

namespace {

const ShopConfig* find_shop(const Config& c, const std::string& name) {
  for (const auto& s : c.shops)
    if (s.name == name) return &s;
  return nullptr;
}

int sync_once(const CliOptions& o, const Config& config) {
  if (!open_for_command(config)) return k_exit_failed;
  if (!o.shop.empty() && !find_shop(config, o.shop)) {
    std::cerr << "fulfild: no shop named " << o.shop << " in the config\n";
    return k_exit_usage;
  }
  auto url = store::StoreUrl::parse(config.store_url);
  StoreAccess store(*url);
  SystemClock clock;
  Cancellation cancel;
  outbound::OwnedHttpClient http(config.http_client);
  int status = k_exit_ok;
  for (const auto& shop : config.shops) {
    if (!o.shop.empty() && shop.name != o.shop) continue;
    auto r = run_shop_once(config, shop, store, http, clock, instance_id(config), cancel);
    if (!r) {
      std::cerr << "fulfild: shop " << shop.name << ": sync failed (" << to_string(r.error().kind)
                << "): " << r.error().message << "\n";
      status = k_exit_failed;
      continue;
    }
    std::cout << "shop " << shop.name << ": "
              << (r->skipped ? "skipped (another instance holds it) " : "") << "inserted "
              << r->inserted << ", updated " << r->updated << ", unchanged " << r->unchanged
              << ", quarantined " << r->quarantined + r->bad_rows << "\n";
  }
  return status;
}

int import_csv(const CliOptions& o, const Config& config) {
  std::string shop = o.shop;
  if (shop.empty() && config.shops.size() == 1) shop = config.shops.front().name;
  if (shop.empty()) {
    std::cerr << "fulfild: import-csv needs --shop NAME (several shops are configured)\n";
    return k_exit_usage;
  }
  if (!find_shop(config, shop)) {
    std::cerr << "fulfild: no shop named " << shop << " in the config\n";
    return k_exit_usage;
  }
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  csvimport::CsvImporter importer(*conn, clock, {.skip_bad_rows = o.skip_bad_rows});
  auto report = importer.import_file(*o.file, shop);
  if (!report) {
    std::cerr << "fulfild: " << report.error().message << "\n";
    return k_exit_failed;
  }
  std::cout << report->file << ": " << report->rows << " rows; inserted " << report->stored.inserted
            << ", updated " << report->stored.updated << ", unchanged " << report->stored.unchanged
            << ", bad rows " << report->bad_rows.size()
            << (report->seen_before ? " (file seen before)" : "") << "\n";
  for (const auto& b : report->bad_rows)
    std::cerr << report->file << ":" << b.line << ": " << b.reason << "\n";
  return report->bad_rows.empty() ? k_exit_ok : k_exit_bad_rows;
}

int reconcile(const CliOptions& o, const Config& config) {
  auto day = parse_iso(o.day);
  if (!day || o.day.size() != 10) {
    std::cerr << "fulfild: --day: expected YYYY-MM-DD\n";
    return k_exit_usage;
  }
  if (!open_for_command(config)) return k_exit_failed;
  StoreAccess store(*store::StoreUrl::parse(config.store_url));
  SystemClock clock;
  Cancellation cancel;
  outbound::OwnedHttpClient http(config.http_client);
  int status = k_exit_ok;
  for (const auto& shop : config.shops) {
    if (!shop.on_platform()) continue;
    if (!o.shop.empty() && shop.name != o.shop) continue;
    auto r = reconcile_shop(config, shop, store, http, clock, instance_id(config), *day, cancel);
    if (!r) {
      std::cerr << "fulfild: shop " << shop.name << ": reconcile failed: " << r.error().message
                << "\n";
      status = k_exit_failed;
    } else {
      std::cout << "shop " << shop.name << ": repaired " << *r << " trades\n";
    }
  }
  return status;
}

}  // namespace

std::vector<Command> sync_commands() {
  return {
      {"sync",
       {{{"sync --once [--shop NAME]"}, {"sync every shop (or one) once, then exit"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (auto r = no_more_words(words); !r) return r;
         if (!o.once)
           return fail(ErrorKind::config,
                       "sync needs --once (the daemon syncs continuously under `run`)");
         return {};
       },
       [](const CliOptions& o, const Config* c) { return sync_once(o, *c); }},
      {"import-csv",
       {{{"import-csv FILE --shop NAME [--skip-bad-rows]"},
         {"import one CSV file of orders (--skip-bad-rows: rows with undecodable bytes are "
          "quarantined, the others imported)"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 1) return fail(ErrorKind::config, "import-csv takes one FILE");
         o.file = words.front();
         return {};
       },
       [](const CliOptions& o, const Config* c) { return import_csv(o, *c); }},
      {"reconcile",
       {{{"reconcile --day YYYY-MM-DD [--shop NAME]"},
         {"re-read a past day's trades and store what sync missed"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (auto r = no_more_words(words); !r) return r;
         if (o.day.empty()) return fail(ErrorKind::config, "reconcile needs --day YYYY-MM-DD");
         return {};
       },
       [](const CliOptions& o, const Config* c) { return reconcile(o, *c); }},
  };
}

}  // namespace fulfil::daemon
