#include "platform/page_store.hpp"

#include "common/log.hpp"

namespace fulfil::platform {

Result<void> PageStore::store(const TradePage& page, PageTotals& totals) {
  m_trades.insert(m_trades.end(), page.parsed.trades.begin(), page.parsed.trades.end());
  m_rejected.insert(m_rejected.end(), page.parsed.rejected.begin(), page.parsed.rejected.end());
  ++totals.pages;
  if (m_trades.size() + m_rejected.size() < static_cast<std::size_t>(m_write_every)) return {};
  if (auto w = write(totals); !w) return w;
  return m_pending >= m_commit_every ? flush(totals) : Result<void>{};
}

Result<void> PageStore::write(PageTotals& totals) {
  if (m_trades.empty() && m_rejected.empty()) return {};
  store::UpsertReport report;
  try {
    if (!m_tx) m_tx.emplace(m_conn);
    // A trade seen on two gathered pages (it moved while we read) is in the batch twice:
    // the upsert keeps the newest, as writing the pages one by one would.
    report = m_orders.upsert(m_trades, m_actor);
    m_quarantine.add(m_rejected, m_actor, m_clock.now());
  } catch (const std::exception& e) {
    return failed(e);
  }
  m_pending += static_cast<int>(m_trades.size() + m_rejected.size());
  for (const auto& rej : m_rejected)
    log::warn("trade quarantined", {{"shop", rej.shop},
                                    {"tid", rej.tid ? std::to_string(*rej.tid) : "?"},
                                    {"field", rej.field},
                                    {"reason", rej.reason}});
  totals.stored += report;
  totals.quarantined += static_cast<int>(m_rejected.size());
  m_trades.clear();
  m_rejected.clear();
  return {};
}

Result<void> PageStore::flush(PageTotals& totals) {
  if (auto w = write(totals); !w) return w;
  if (!m_tx) return {};
  try {
    m_tx->commit();
  } catch (const std::exception& e) {
    return failed(e);
  }
  m_tx.reset();
  m_pending = 0;
  return {};
}

Result<void> PageStore::failed(const std::exception& e) {
  m_tx.reset();  // rolls back every pending page; they are read again
  m_pending = 0;
  m_trades.clear();
  m_rejected.clear();
  return fail(ErrorKind::storage, e.what());
}

}  // namespace fulfil::platform
