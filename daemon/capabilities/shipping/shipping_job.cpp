#include "capabilities/shipping/shipping_job.hpp"

#include <map>
#include <mutex>
#include <set>

#include "common/log.hpp"
#include "courier/number_pool.hpp"
#include "courier/platform_reconciliation.hpp"
#include "courier/sf_client.hpp"
#include "outbound/fanout.hpp"

namespace fulfil::daemon {

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
      if (shop == config.shops.end() || !shop->on_platform()) {
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
  // Counted with the daily runs, so /healthz says what every pass sent again.
  if (auto r = courier::PlatformReconciliation(**conn, clock)
                   .record({reconciled->first, reconciled->second, 0}, "shipping", false);
      !r)
    return fail_with(r.error());
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

}  // namespace fulfil::daemon
