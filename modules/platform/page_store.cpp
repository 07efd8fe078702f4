#include "platform/page_store.hpp"

#include "common/log.hpp"

namespace fulfil::platform {

Result<void> PageStore::store(const TradePage& page, PageTotals& totals) {
  store::UpsertReport report;
  try {
    if (!m_tx) m_tx.emplace(m_conn);
    report = m_orders.upsert(page.parsed.trades, m_actor);
    m_quarantine.add(page.parsed.rejected, m_actor, m_clock.now());
  } catch (const std::exception& e) {
    m_tx.reset();  // rolls back every pending page
    m_pending = 0;
    return fail(ErrorKind::storage, e.what());
  }
  m_pending += static_cast<int>(page.parsed.trades.size() + page.parsed.rejected.size());
  for (const auto& rej : page.parsed.rejected)
    log::warn("trade quarantined", {{"shop", rej.shop},
                                    {"tid", rej.tid ? std::to_string(*rej.tid) : "?"},
                                    {"field", rej.field},
                                    {"reason", rej.reason}});
  ++totals.pages;
  totals.stored += report;
  totals.quarantined += static_cast<int>(page.parsed.rejected.size());
  return m_pending >= m_commit_every ? flush() : Result<void>{};
}

Result<void> PageStore::flush() {
  if (!m_tx) return {};
  try {
    m_tx->commit();
  } catch (const std::exception& e) {
    m_tx.reset();
    m_pending = 0;
    return fail(ErrorKind::storage, e.what());
  }
  m_tx.reset();
  m_pending = 0;
  return {};
}

}  // namespace fulfil::platform
