#include "capabilities/sync/sync_jobs.hpp"

#include <filesystem>
#include <fstream>
#include <functional>

#include "common/log.hpp"
#include "csvimport/csv_importer.hpp"
#include "csvimport/report_pair.hpp"
#include "platform/reconciler.hpp"
#include "platform/shop_sync_job.hpp"
#include "store/lease_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::daemon {

namespace fs = std::filesystem;

namespace {

// A file still being copied in must not be read half-written: wait until it is still.
constexpr auto k_settle = std::chrono::seconds(2);
// A daemon killed while importing holds its shop's inbox this long; the daemon that owns the
// shop next takes over after it (a live importer renews the lease before each file).
constexpr std::int64_t k_inbox_lease_seconds = 60;
// How long one half of the platform's export pair may wait for the other before a person
// is told.
constexpr UnixSeconds k_half_patience = 3600;

fs::path unused_name(const fs::path& dir, const fs::path& name, UnixSeconds now) {
  fs::path target = dir / name;
  if (!fs::exists(target)) return target;
  return dir / (name.stem().string() + "." + std::to_string(now) + name.extension().string());
}

// `keep_lease` renews the shop's inbox lease before each file; false when it was lost.
Result<ShopRunSummary> import_inbox(const ShopConfig& shop, store::Connection& conn,
                                    const Clock& clock, Cancellation& cancel,
                                    const std::function<bool()>& keep_lease) {
  ShopRunSummary summary;
  const fs::path inbox(shop.inbox);
  std::error_code ec;
  fs::create_directories(inbox / "done", ec);
  fs::create_directories(inbox / "failed", ec);
  if (ec) return fail(ErrorKind::config, "inbox " + inbox.string() + ": " + ec.message());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(inbox, ec)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext != ".csv") continue;
    auto age = fs::file_time_type::clock::now() - entry.last_write_time();
    if (age < k_settle) continue;
    files.push_back(entry.path());
  }
  if (ec) return fail(ErrorKind::config, "inbox " + inbox.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  csvimport::CsvImporter importer(conn, clock, {.skip_bad_rows = shop.skip_bad_rows});
  std::string first_error;
  std::optional<Error> store_error;
  for (const auto& file : files) {
    if (cancel.cancelled() || !keep_lease()) break;
    auto report = importer.import_file(file, shop.name);
    const UnixSeconds now = clock.now();
    if (!report && report.error().kind != ErrorKind::invalid_input) {
      // The store failed, not the file: it stays for the next pass, and the files after it
      // are still tried.
      log::error("csv file not imported; trying again next pass",
                 {{"shop", shop.name}, {"file", file.string()}, {"error", report.error().message}});
      if (!store_error) store_error = report.error();
      continue;
    }
    if (!report) {
      // The file itself is unusable: set it aside with the reason, keep going.
      auto target = unused_name(inbox / "failed", file.filename(), now);
      fs::rename(file, target, ec);
      std::ofstream(target.string() + ".why") << report.error().message << "\n";
      log::error("csv file refused",
                 {{"shop", shop.name}, {"file", file.string()}, {"error", report.error().message}});
      if (first_error.empty()) first_error = report.error().message;
      continue;
    }
    auto target = unused_name(inbox / "done", file.filename(), now);
    fs::rename(file, target, ec);
    if (!report->bad_rows.empty()) {
      std::ofstream why(target.string() + ".bad-rows.txt");
      for (const auto& b : report->bad_rows) why << "line " << b.line << ": " << b.reason << "\n";
    }
    log::info("csv file imported", {{"shop", shop.name},
                                    {"file", file.filename().string()},
                                    {"inserted", report->stored.inserted},
                                    {"updated", report->stored.updated},
                                    {"bad_rows", static_cast<int>(report->bad_rows.size())}});
    ++summary.files;
    summary.inserted += report->stored.inserted;
    summary.updated += report->stored.updated;
    summary.unchanged += report->stored.unchanged;
    summary.bad_rows += static_cast<int>(report->bad_rows.size());
  }
  if (store_error) return std::unexpected(*store_error);
  if (!first_error.empty()) return fail(ErrorKind::invalid_input, first_error);
  return summary;
}

}  // namespace

Result<ShopRunSummary> run_shop_once(const Config& config, const ShopConfig& shop,
                                     StoreAccess& store, outbound::HttpClient& http,
                                     const Clock& clock, const std::string& instance_id,
                                     Cancellation& cancel) {
  if (shop.source != ShopConfig::Source::csv) {
    auto conn = store.local(store::Durability::relaxed);
    if (!conn) return std::unexpected(conn.error());
    auto r = shop.source == ShopConfig::Source::top
                 ? platform::run_shop_sync(config.shop_sync(shop), http, **conn, clock, instance_id,
                                           cancel)
                 : platform::run_rds_sync(shop.name, shop.rds, config.shop_sync(shop).lease_seconds,
                                          **conn, clock, instance_id, cancel);
    if (!r) {
      if (r.error().kind == ErrorKind::storage) store.reset_local();
      return std::unexpected(r.error());
    }
    const auto& st = r->report.totals.stored;
    return ShopRunSummary{
        r->skipped, st.inserted, st.updated, st.unchanged, r->report.totals.quarantined, 0, 0};
  }
  // CSV facts exist nowhere else: strict durability.
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  store::LeaseRepository leases(**conn);
  auto lease = store::ScopedLease::take(leases, "inbox:" + shop.name, instance_id, clock.now(),
                                        k_inbox_lease_seconds);
  if (!lease) return std::unexpected(lease.error());
  if (!*lease) return ShopRunSummary{true};
  auto r = import_inbox(shop, **conn, clock, cancel,
                        [&] { return (*lease)->renew(clock.now()).has_value(); });
  lease->reset();
  store::SyncStateRepository states(**conn);
  if (r) {
    // Half of the platform's export pair waiting too long: a person must import the other.
    auto waiting = csvimport::ReportPair(**conn).waiting(shop.name, clock.now() - k_half_patience);
    std::string problem;
    if (waiting && !waiting->empty()) {
      const auto& w = waiting->front();
      problem = std::to_string(waiting->size()) +
                " trades have only one half of the export pair for over an hour, e.g. " +
                std::to_string(w.tid) + " (only its " + w.has + ", from " + w.file +
                "): import the other report";
      log::warn("csv export half waiting", {{"shop", shop.name}, {"problem", problem}});
    }
    (void)states.record_run(shop.name, clock.now(), problem, problem.empty() ? "" : "invalid_input",
                            "");
  } else
    (void)states.record_run(shop.name, clock.now(), r.error().message,
                            std::string(to_string(r.error().kind)), "");
  if (!r && r.error().kind == ErrorKind::storage) store.reset_local();
  return r;
}

Result<int> reconcile_shop(const Config& config, const ShopConfig& shop, StoreAccess& store,
                           outbound::HttpClient& http, const Clock& clock,
                           const std::string& instance_id, UnixSeconds day_start,
                           Cancellation& cancel) {
  if (!shop.on_platform()) return 0;
  auto conn = store.local(store::Durability::relaxed);
  if (!conn) return std::unexpected(conn.error());
  store::LeaseRepository leases(**conn);
  auto lease =
      store::ScopedLease::take(leases, "reconcile:" + shop.name, instance_id, clock.now(), 3600);
  if (!lease) return std::unexpected(lease.error());
  if (!*lease) return 0;
  platform::TopClient client(http, clock, shop.top, shop.name);
  auto r = platform::reconcile_day(client, **conn, clock, day_start, config.sync.window_seconds,
                                   config.sync.page_size, config.sync.retry, cancel);
  if (!r) return std::unexpected(r.error());
  return r->repaired();
}

}  // namespace fulfil::daemon
