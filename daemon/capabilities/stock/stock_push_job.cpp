#include "capabilities/stock/stock_push_job.hpp"

#include "common/log.hpp"
#include "store/lease_repository.hpp"

namespace fulfil::daemon {

stock::PushQuantity quantity_update(platform::TopClient& client) {
  return [&client](const stock::QuantityPush& p) -> Result<void> {
    outbound::Params params = {{"num_iid", std::to_string(p.num_iid)},
                               {"quantity", std::to_string(p.quantity)},
                               {"type", "1"}};
    if (p.sku_id) params.emplace("sku_id", std::to_string(p.sku_id));
    auto answer = client.call("taobao.item.quantity.update", std::move(params));
    if (!answer) return std::unexpected(answer.error());
    return {};
  };
}

std::optional<std::string> run_stock_push_once(const Config& config, StoreAccess& store,
                                               outbound::HttpClient& http, const Clock& clock,
                                               const std::string& instance_id) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::nullopt;
  store::LeaseRepository leases(**conn);
  auto lease = store::ScopedLease::take(leases, "stock-push", instance_id, clock.now(), 600);
  if (!lease || !*lease) return std::nullopt;
  std::string alert;
  stock::StockPusher pusher(**conn, clock, config.stock_push);
  for (const auto& shop : config.shops) {
    if (!shop.on_platform()) continue;
    platform::TopClient client(http, clock, shop.top, shop.name);
    auto r = pusher.run(shop.name, quantity_update(client));
    if (!r) {
      log::error("stock push failed", {{"shop", shop.name}, {"error", r.error().message}});
      if (r.error().kind == ErrorKind::storage) store.reset_local();
      continue;
    }
    if (!r->alert.empty()) alert = "shop " + shop.name + ": " + r->alert;
    (void)(*lease)->renew(clock.now());
  }
  return alert;
}

}  // namespace fulfil::daemon
