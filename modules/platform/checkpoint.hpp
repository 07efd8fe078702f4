#pragma once
#include <string>

#include "common/clock.hpp"
#include "platform/page_store.hpp"

namespace fulfil::platform {

// A shop's sync checkpoint as one run moves it: each move (after what came before it is
// committed) sets the window end and adds to the shop's stored count only what was stored
// since the previous move, the run's totals being cumulative. Never moves it backwards.
class Checkpoint {
 public:
  Checkpoint(store::Connection& conn, const Clock& clock, std::string shop)
      : m_conn(conn), m_clock(clock), m_shop(std::move(shop)) {}
  Result<void> advance(UnixSeconds at, const PageTotals& totals);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  std::string m_shop;
  std::int64_t m_counted = 0;  // of the run's stored trades, already on the shop's count
};

}  // namespace fulfil::platform
