#pragma once
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "platform/top_client.hpp"
#include "store/database.hpp"
#include "store/order_repository.hpp"
#include "store/quarantine_repository.hpp"

namespace fulfil::platform {

// What reading pages into the store amounted to.
struct PageTotals {
  int pages = 0;
  store::UpsertReport stored;
  int quarantined = 0;
};

// Stores pages of trades and their rejected records. Pages share a transaction until about
// `commit_every` trades are written or flush() is called: one commit per page would rewrite
// the same index pages into SQLite's WAL a thousand times over. Nothing is lost by waiting:
// callers flush before they advance a checkpoint, and an unflushed page is read again.
class PageStore {
 public:
  PageStore(store::Connection& c, const Clock& clock, std::string actor, int commit_every = 2000)
      : m_conn(c),
        m_clock(clock),
        m_orders(c, clock),
        m_quarantine(c),
        m_actor(std::move(actor)),
        m_commit_every(commit_every) {}
  Result<void> store(const TradePage& page, PageTotals& totals);
  // Commits what is pending.
  Result<void> flush();

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  store::OrderRepository m_orders;
  store::QuarantineRepository m_quarantine;
  std::string m_actor;
  int m_commit_every;
  std::optional<store::WriteTransaction> m_tx;  // open while pages are pending
  int m_pending = 0;
};

}  // namespace fulfil::platform
