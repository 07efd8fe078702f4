#pragma once
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct ListedBuyer {
  std::string shop, buyer_nick, note, updated_by;
  bool sensitive = false, never_again = false;
  UnixSeconds updated_at = 0;
};

// The buyers not to remind: the sensitive list staff keep, and those who asked never to be
// reminded again or hung up angrily (set by an outcome, cleared here by a person).
class BuyerList {
 public:
  BuyerList(store::Connection& c, const Clock& clock) : m_conn(c), m_clock(clock) {}
  Result<std::vector<ListedBuyer>> list();
  // Sets both marks of a buyer; both false removes the buyer from the list.
  Result<ListedBuyer> set(const ListedBuyer& b, const std::string& user);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
};

}  // namespace fulfil::reminders
