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

// Stores pages of trades and their rejected records. Pages are gathered and written
// `write_every` trades at a time (one statement set per page cost PostgreSQL a round trip
// per table and page), inside a transaction committed once about `commit_every` trades
// were written or flush() is called (one commit per page would rewrite the same index
// pages into SQLite's WAL a thousand times over). Nothing is lost by waiting: callers
// flush before they advance a checkpoint, and an unflushed page is read again.
class PageStore {
 public:
  PageStore(store::Connection& c, const Clock& clock, std::string actor, int commit_every = 2000,
            int write_every = 500)
      : m_conn(c),
        m_clock(clock),
        m_orders(c, clock),
        m_quarantine(c),
        m_actor(std::move(actor)),
        m_commit_every(commit_every),
        m_write_every(write_every) {}
  Result<void> store(const TradePage& page, PageTotals& totals);
  // Writes what is gathered and commits; the figures go into `totals`.
  Result<void> flush(PageTotals& totals);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  store::OrderRepository m_orders;
  store::QuarantineRepository m_quarantine;
  std::string m_actor;
  int m_commit_every;
  int m_write_every;
  Result<void> write(PageTotals& totals);
  Result<void> failed(const std::exception& e);
  std::optional<store::WriteTransaction> m_tx;  // open while pages are pending
  int m_pending = 0;                            // written, not yet committed
  std::vector<orders::Trade> m_trades;          // gathered, not yet written
  std::vector<orders::Rejection> m_rejected;
};

}  // namespace fulfil::platform
