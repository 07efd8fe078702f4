#pragma once
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

// Stores one page of trades and its rejected records in one transaction.
class PageStore {
 public:
  PageStore(store::Connection& c, const Clock& clock, std::string actor)
      : m_conn(c), m_clock(clock), m_orders(c, clock), m_quarantine(c), m_actor(std::move(actor)) {}
  Result<void> store(const TradePage& page, PageTotals& totals);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  store::OrderRepository m_orders;
  store::QuarantineRepository m_quarantine;
  std::string m_actor;
};

}  // namespace fulfil::platform
