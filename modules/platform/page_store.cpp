#include "platform/page_store.hpp"

#include "common/log.hpp"

namespace fulfil::platform {

Result<void> PageStore::store(const TradePage& page, PageTotals& totals) {
  store::UpsertReport report;
  auto r = store::in_transaction(m_conn, [&]() -> Result<void> {
    report = m_orders.upsert(page.parsed.trades, m_actor);
    m_quarantine.add(page.parsed.rejected, m_actor, m_clock.now());
    return {};
  });
  if (!r) return r;
  for (const auto& rej : page.parsed.rejected)
    log::warn("trade quarantined", {{"shop", rej.shop},
                                    {"tid", rej.tid ? std::to_string(*rej.tid) : "?"},
                                    {"field", rej.field},
                                    {"reason", rej.reason}});
  ++totals.pages;
  totals.stored += report;
  totals.quarantined += static_cast<int>(page.parsed.rejected.size());
  return {};
}

}  // namespace fulfil::platform
