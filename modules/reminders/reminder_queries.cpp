#include "reminders/reminder_queries.hpp"

#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_opt_int;
using store::get_text;

namespace {

std::string head_query(std::string_view where) {
  return std::string("SELECT ") + k_ledger_columns + ", mobile, big FROM reminders " +
         std::string(where);
}

}  // namespace

Result<std::vector<LedgerLine>> ReminderQueries::list(const std::string& state,
                                                      const std::string& buyer, int limit) {
  return store::guarded([&]() -> Result<std::vector<LedgerLine>> {
    std::vector<LedgerLine> out;
    long long l = limit;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << head_query("WHERE (:s = '' OR state = :s2) AND (:b = '' OR "
                                            "buyer_nick = :b2) ORDER BY id DESC LIMIT :l"),
         soci::use(state), soci::use(state), soci::use(buyer), soci::use(buyer), soci::use(l));
    for (const auto& r : rows) out.push_back(ledger_line(r));
    return out;
  });
}

Result<ReminderDetail> ReminderQueries::get(std::int64_t id) {
  return store::guarded([&]() -> Result<ReminderDetail> {
    ReminderDetail d;
    long long rid = id;
    bool found = false;
    soci::rowset<soci::row> head =
        (m_conn.sql().prepare << head_query("WHERE id = :i"), soci::use(rid));
    for (const auto& r : head) {
      found = true;
      d.head = ledger_line(r);
      d.mobile = get_text(r, 16);
      d.big = get_int(r, 17) != 0;
    }
    if (!found) return fail(ErrorKind::not_found, "no reminder " + std::to_string(id));
    soci::rowset<soci::row> tids =
        (m_conn.sql().prepare
             << "SELECT tid FROM reminder_trades WHERE reminder_id = :i ORDER BY placed, tid",
         soci::use(rid));
    for (const auto& r : tids) d.tids.push_back(get_int(r, 0));
    soci::rowset<soci::row> attempts =
        (m_conn.sql().prepare
             << "SELECT id, channel, state, idem_key, script, staff, outcome, note, biz_id, error, "
                "due_from, due_until, created_at, done_at, tries, cost FROM reminder_attempts "
                "WHERE reminder_id = :i ORDER BY id",
         soci::use(rid));
    for (const auto& r : attempts) {
      AttemptRow a;
      a.id = get_int(r, 0);
      a.channel = get_text(r, 1);
      a.state = get_text(r, 2);
      a.idem_key = get_text(r, 3);
      a.script = get_text(r, 4);
      a.staff = get_text(r, 5);
      a.outcome = get_text(r, 6);
      a.note = get_text(r, 7);
      a.biz_id = get_text(r, 8);
      a.error = get_text(r, 9);
      a.due_from = get_int(r, 10);
      a.due_until = get_int(r, 11);
      a.created_at = get_int(r, 12);
      a.done_at = get_opt_int(r, 13);
      a.tries = static_cast<int>(get_int(r, 14));
      a.cost = get_int(r, 15);
      d.attempts.push_back(std::move(a));
    }
    soci::rowset<soci::row> notes =
        (m_conn.sql().prepare
             << "SELECT at, text FROM reminder_notes WHERE reminder_id = :i ORDER BY id",
         soci::use(rid));
    for (const auto& r : notes) d.notes.emplace_back(get_int(r, 0), get_text(r, 1));
    soci::rowset<soci::row> wb =
        (m_conn.sql().prepare << "SELECT tid, kind, memo, state, error, flag FROM "
                                 "reminder_writebacks WHERE reminder_id = :i ORDER BY id",
         soci::use(rid));
    for (const auto& r : wb)
      d.writebacks.push_back({get_int(r, 0), get_text(r, 1), get_text(r, 2), get_text(r, 3),
                              get_text(r, 4), static_cast<int>(get_int(r, 5))});
    return d;
  });
}

}  // namespace fulfil::reminders
