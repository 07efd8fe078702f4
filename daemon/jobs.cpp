#include "jobs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "common/log.hpp"
#include "courier/number_pool.hpp"
#include "courier/sf_client.hpp"
#include "csvimport/csv_importer.hpp"
#include "csvimport/report_pair.hpp"
#include "outbound/fanout.hpp"
#include "platform/reconciler.hpp"
#include "platform/shop_sync_job.hpp"
#include "review/review_service.hpp"
#include "store/lease_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::daemon {

namespace fs = std::filesystem;

namespace {

// A file still being copied in must not be read half-written: wait until it is still.
constexpr auto k_settle = std::chrono::seconds(2);
// How long one half of the platform's export pair may wait for the other before a person
// is told.
constexpr UnixSeconds k_half_patience = 3600;

fs::path unused_name(const fs::path& dir, const fs::path& name, UnixSeconds now) {
  fs::path target = dir / name;
  if (!fs::exists(target)) return target;
  return dir / (name.stem().string() + "." + std::to_string(now) + name.extension().string());
}

Result<ShopRunSummary> import_inbox(const ShopConfig& shop, store::Connection& conn,
                                    const Clock& clock, Cancellation& cancel) {
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
  csvimport::CsvImporter importer(conn, clock);
  std::string first_error;
  std::optional<Error> store_error;
  for (const auto& file : files) {
    if (cancel.cancelled()) break;
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
  if (shop.source == ShopConfig::Source::top) {
    auto conn = store.local(store::Durability::relaxed);
    if (!conn) return std::unexpected(conn.error());
    auto r =
        platform::run_shop_sync(config.shop_sync(shop), http, **conn, clock, instance_id, cancel);
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
  auto lease =
      store::ScopedLease::take(leases, "inbox:" + shop.name, instance_id, clock.now(), 600);
  if (!lease) return std::unexpected(lease.error());
  if (!*lease) return ShopRunSummary{true};
  auto r = import_inbox(shop, **conn, clock, cancel);
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
    (void)states.record_import(shop.name, r->inserted + r->updated, clock.now());
  } else
    (void)states.record_run(shop.name, clock.now(), r.error().message,
                            std::string(to_string(r.error().kind)), "");
  if (!r && r.error().kind == ErrorKind::storage) store.reset_local();
  return r;
}

Result<void> run_review_once(const Config& config, StoreAccess& store, const Clock& clock,
                             bool apply_slicing) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  review::ReviewService review(**conn, clock, config.review);
  auto fail_with = [&](const Error& e) -> Result<void> {
    store.reset_local();
    log::error("review pass failed", {{"error", e.message}, {"kind", to_string(e.kind)}});
    return std::unexpected(e);
  };
  if (apply_slicing)
    if (auto r = review.apply_slicing(); !r) return fail_with(r.error());
  auto in = review.intake();
  if (!in) return fail_with(in.error());
  review::ReviewService::AutoReport approved;
  if (config.review.auto_approve) {
    auto r = review.auto_approve();
    if (!r) return fail_with(r.error());
    approved = *r;
  }
  auto expired = review.expire_claims();
  if (!expired) return fail_with(expired.error());
  if (in->signals || approved.approved || approved.parked || *expired)
    log::info("review pass", {{"new_parcels", in->parcels},
                              {"problems", in->problems},
                              {"merged", in->merged},
                              {"intercepted", in->intercepted + approved.intercepted},
                              {"rechecked", in->rechecked},
                              {"auto_approved", approved.approved},
                              {"parked_for_stock", approved.parked},
                              {"claims_expired", *expired}});
  return {};
}

courier::ConfirmShipments platform_confirmation(const Config& config, outbound::HttpClient& http,
                                                const Clock& clock) {
  return [&config, &http, &clock](std::span<const courier::Confirmation> cs) {
    std::vector<Result<courier::Told>> out(cs.size(), courier::Told::platform);
    std::map<std::string, std::vector<std::size_t>> by_shop;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (orders::is_exchange_tid(cs[i].tid))
        out[i] = courier::Told::exchange;  // the platform has no such trade
      else
        by_shop[cs[i].shop].push_back(i);
    }
    for (const auto& [name, items] : by_shop) {
      const auto shop = std::find_if(config.shops.begin(), config.shops.end(),
                                     [&](const ShopConfig& s) { return s.name == name; });
      if (shop == config.shops.end() || shop->source != ShopConfig::Source::top) {
        for (auto i : items)
          out[i] = shop == config.shops.end()
                       ? Result<courier::Told>(
                             fail(ErrorKind::config, "shop " + name + " is no longer configured"))
                       : courier::Told::by_hand;
        continue;
      }
      // Many confirmations on the wire at once; each answer read as it comes.
      platform::TopClient client(http, clock, shop->top, shop->name);
      constexpr std::string_view k_method = "taobao.logistics.offline.send";
      outbound::fan_out(
          http, items.size(), 32,
          [&](std::size_t k) {
            const courier::Confirmation& c = cs[items[k]];
            outbound::Params p = {{"tid", std::to_string(c.tid)},
                                  {"out_sid", c.waybill_no},
                                  {"company_code", c.courier}};
            if (!c.sub_tids.empty()) {
              p.emplace("sub_tid", c.sub_tids);
              p.emplace("is_split", "1");
            }
            return client.prepare(k_method, std::move(p));
          },
          [&](std::size_t k,
              Result<outbound::HttpResponse> answer) -> std::optional<outbound::HttpRequest> {
            auto r = client.read(k_method, std::move(answer));
            Result<courier::Told>& o = out[items[k]];
            if (!r) {
              o = std::unexpected(r.error());
              return std::nullopt;
            }
            const auto* shipping = (*r)->if_contains("shipping");
            if (!shipping || !shipping->is_object() ||
                !shipping->as_object().contains("is_success") ||
                !shipping->as_object().at("is_success").as_bool())
              o = fail(ErrorKind::remote_retry, "the platform did not confirm is_success");
            return std::nullopt;
          });
    }
    return out;
  };
}

namespace {

// Couriers with their own API, as configured: each call through this thread's HTTP client.
class ConfiguredCouriers final : public courier::RemoteCouriers {
 public:
  ConfiguredCouriers(const Config& config, outbound::HttpClient& http, const Clock& clock)
      : m_config(config), m_http(http), m_clock(clock) {}
  std::vector<Result<courier::WaybillAnswer>> create_many(
      const std::string& code, std::span<const courier::WaybillRequest> requests) override {
    const auto* c = m_config.shipping.find(code);
    if (c && c->source == courier::Source::sf)
      return courier::SfClient(m_http, m_clock, c->sf).create_many(requests, c->sf.in_flight);
    if (auto cainiao = cainiao_for(c)) return cainiao->get_many(requests);
    return {requests.size(), fail(ErrorKind::config, "courier " + code + " has no API configured")};
  }
  void create_each(const std::string& code, std::span<const courier::WaybillRequest> requests,
                   const courier::AnswerSink& sink) override {
    // SF answers one by one: each is handed on as it comes (Cainiao's come ten a call).
    if (const auto* c = m_config.shipping.find(code); c && c->source == courier::Source::sf)
      return courier::SfClient(m_http, m_clock, c->sf).create_each(requests, c->sf.in_flight, sink);
    RemoteCouriers::create_each(code, requests, sink);
  }
  Result<void> cancel(const std::string& code, const std::string& order_id,
                      const std::string& waybill_no) override {
    const auto* c = m_config.shipping.find(code);
    if (c && c->source == courier::Source::sf)
      return courier::SfClient(m_http, m_clock, c->sf).cancel(order_id);
    if (auto cainiao = cainiao_for(c)) return cainiao->cancel(waybill_no);
    return fail(ErrorKind::config, "courier " + code + " has no API configured");
  }

 private:
  std::optional<courier::CainiaoClient> cainiao_for(const courier::Courier* c) {
    if (!c || c->source != courier::Source::cainiao) return std::nullopt;
    const auto shop = std::find_if(m_config.shops.begin(), m_config.shops.end(),
                                   [&](const ShopConfig& s) { return s.name == c->cainiao.shop; });
    if (shop == m_config.shops.end()) return std::nullopt;  // refused at config load
    return std::optional<courier::CainiaoClient>(std::in_place, m_http, m_clock, shop->top,
                                                 shop->name, c->code, c->cainiao);
  }
  const Config& m_config;
  outbound::HttpClient& m_http;
  const Clock& m_clock;
};

}  // namespace

std::unique_ptr<courier::RemoteCouriers> configured_couriers(const Config& config,
                                                             outbound::HttpClient& http,
                                                             const Clock& clock) {
  return std::make_unique<ConfiguredCouriers>(config, http, clock);
}

namespace {

void note_pool_level(const std::string& courier, std::int64_t free, std::int64_t low_at) {
  // Said when a pool becomes low and when it is filled again, not on every pass (the level
  // itself is always on GET /api/v1/couriers).
  static std::mutex mutex;
  static std::set<std::string> low;
  std::lock_guard lock(mutex);
  if (free < low_at && low.insert(courier).second)
    log::warn("waybill pool low", {{"courier", courier}, {"left", free}, {"low_below", low_at}});
  else if (free >= low_at && low.erase(courier))
    log::info("waybill pool filled again", {{"courier", courier}, {"left", free}});
}

}  // namespace

Result<void> run_shipping_once(const Config& config, StoreAccess& store, outbound::HttpClient& http,
                               const Clock& clock) {
  if (config.shipping.couriers.empty()) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  courier::WaybillService waybills(**conn, clock, config.shipping);
  auto fail_with = [&](const Error& e) -> Result<void> {
    store.reset_local();
    log::error("shipping pass failed", {{"error", e.message}, {"kind", to_string(e.kind)}});
    return std::unexpected(e);
  };
  ConfiguredCouriers remote(config, http, clock);
  auto voided = waybills.void_unused(&remote);
  if (!voided) return fail_with(voided.error());
  auto issued = waybills.issue(&remote);
  if (!issued) return fail_with(issued.error());
  auto confirmed = waybills.confirm(platform_confirmation(config, http, clock));
  if (!confirmed) return fail_with(confirmed.error());
  auto reconciled = waybills.reconcile_shipped(config.shipping.reconcile_after_hours * 3600LL);
  if (!reconciled) return fail_with(reconciled.error());
  if (issued->issued || issued->parked || issued->requested || issued->retrying || *voided ||
      confirmed->sent || confirmed->failed || confirmed->by_hand)
    log::info("shipping pass", {{"waybills", issued->issued},
                                {"no_courier", issued->parked},
                                {"waiting_for_numbers", issued->waiting},
                                {"asked_of_couriers", issued->requested},
                                {"refused_by_couriers", issued->refused},
                                {"courier_retrying", issued->retrying},
                                {"voided", *voided},
                                {"confirmed", confirmed->sent},
                                {"confirm_by_hand", confirmed->by_hand},
                                {"confirm_retrying", confirmed->retrying},
                                {"confirm_failed", confirmed->failed}});
  if (auto levels = courier::NumberPool(**conn).levels(); levels)
    for (const auto& l : *levels)
      if (const auto* c = config.shipping.find(l.courier); c && c->source == courier::Source::pool)
        note_pool_level(l.courier, l.free, c->low_pool);
  return {};
}

Result<void> run_tracking_once(const Config& config, StoreAccess& store, outbound::HttpClient& http,
                               const Clock& clock) {
  const auto& settings = config.shipping.tracking;
  if (!settings.enabled) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  courier::Kuaidi100Client client(http, settings.kuaidi100);
  auto r = courier::TrackingService(**conn, clock, settings).run(client);
  if (!r) {
    store.reset_local();
    log::error("tracking pass failed", {{"error", r.error().message}});
    return std::unexpected(r.error());
  }
  if (r->enrolled || r->subscribed || r->updated || r->failed)
    log::info("tracking pass", {{"followed", r->enrolled},
                                {"subscribed", r->subscribed},
                                {"asked", r->polled},
                                {"updated", r->updated},
                                {"failed", r->failed}});
  return {};
}

Result<int> reconcile_shop(const Config& config, const ShopConfig& shop, StoreAccess& store,
                           outbound::HttpClient& http, const Clock& clock,
                           const std::string& instance_id, UnixSeconds day_start,
                           Cancellation& cancel) {
  if (shop.source != ShopConfig::Source::top) return 0;
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
