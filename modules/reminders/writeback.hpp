#pragma once
#include <functional>

#include "common/clock.hpp"
#include "platform/top_client.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct WritebackCounts {
  int done = 0, retry = 0, refused = 0, skipped = 0;
};

// Makes the platform calls the reminders owe: taobao.trade.memo.update (the seller memo with
// the reminder appended, and its flag colour, so nobody reminds twice) and taobao.trade.close
// (a trade the buyer no longer wants, with its reason). A call the platform may take later
// (isp.*, rate limit, network) is tried again with backoff; one it refuses (isv.*) is kept
// with its error for a person; a shop without the platform API is skipped.
class Writebacks {
 public:
  // The client of a shop, or null when the shop has no platform API (a CSV shop).
  using ClientFor = std::function<platform::TopClient*(const std::string& shop)>;
  Writebacks(store::Connection& c, const Clock& clock, ClientFor clients)
      : m_conn(c), m_clock(clock), m_clients(std::move(clients)) {}
  Result<WritebackCounts> run(int limit = 100);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  ClientFor m_clients;
};

// The seller memo after a reminder's note: `current` with `note` appended (once), cut from
// the front to the platform's 1,000 characters.
std::string memo_with(std::string_view current, std::string_view note);

}  // namespace fulfil::reminders
