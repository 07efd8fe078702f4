#pragma once
#include <optional>
#include <string>
#include <vector>

#include "reminders/ledger.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct AttemptRow {
  std::int64_t id = 0;
  std::string channel, state, idem_key, script, staff, outcome, note, biz_id, error;
  UnixSeconds due_from = 0, due_until = 0, created_at = 0;
  std::optional<UnixSeconds> done_at;
  int tries = 0;
  Fen cost = 0;
};

struct WritebackRow {
  std::int64_t tid = 0;
  std::string kind, memo, state, error;
  int flag = 0;
};

struct ReminderDetail {
  LedgerLine head;  // reminded_at 0 when nobody was reminded yet
  std::string mobile;
  bool big = false;
  std::vector<std::int64_t> tids;
  std::vector<AttemptRow> attempts;
  std::vector<std::pair<UnixSeconds, std::string>> notes;
  std::vector<WritebackRow> writebacks;
};

// Reminders as staff look them up.
class ReminderQueries {
 public:
  explicit ReminderQueries(store::Connection& c) : m_conn(c) {}
  // Newest first; `state` ("open", "paid" ... or empty for all) and `buyer` (a nick,
  // exactly) narrow it.
  Result<std::vector<LedgerLine>> list(const std::string& state, const std::string& buyer,
                                       int limit);
  Result<ReminderDetail> get(std::int64_t id);

 private:
  store::Connection& m_conn;
};

}  // namespace fulfil::reminders
