#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "aftersale/return_record.hpp"
#include "common/clock.hpp"
#include "store/bulk_writer.hpp"

namespace fulfil::aftersale {

// The rows a batch of check-ins writes to returns, slips and outbox, gathered and written
// as three bulk inserts (a statement per row cost half the check-in time). Outbox rows keep
// the order their slips were added in, which is the order the sender delivers them.
class ReturnWrites {
 public:
  void add_return(const ReturnRecord& r, const std::string& request_key);
  void add_slip(const std::string& id, std::int64_t return_id, std::string_view kind,
                std::string body, UnixSeconds at);
  // Writes what was gathered, inside the caller's transaction, and starts afresh.
  void flush(store::Connection& conn);

 private:
  std::string_view keep(std::string text);
  std::deque<std::string> m_text;  // a deque: the views below stay valid as it grows
  std::vector<store::SqlValue> m_returns, m_slips, m_outbox;
};

}  // namespace fulfil::aftersale
