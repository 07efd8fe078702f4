#include "reminders/writeback.hpp"

#include "common/log.hpp"
#include "common/utf8.hpp"
#include "reminders/attempt_rules.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_text;

namespace {

struct Owed {
  std::int64_t id = 0, tid = 0, flag = 0, tries = 0;
  std::string shop, kind, memo, current;
};

}  // namespace

std::string memo_with(std::string_view current, std::string_view note) {
  if (current.find(note) != std::string_view::npos) return std::string(current);
  std::string out =
      current.empty() ? std::string(note) : std::string(current) + " " + std::string(note);
  auto cps = code_points(out);
  if (cps.size() <= 1000) return out;
  std::string cut;
  for (std::size_t i = cps.size() - 1000; i < cps.size(); ++i) append_utf8(cut, cps[i]);
  return cut;
}

Result<WritebackCounts> Writebacks::run(int limit) {
  const UnixSeconds now = m_clock.now();
  std::vector<Owed> owed;
  auto read = store::guarded([&]() -> Result<void> {
    long long n = now, lim = limit;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT w.id, w.tid, w.flag, w.tries, w.shop, w.kind, w.memo, "
                                 "COALESCE(t.seller_memo, '') FROM reminder_writebacks w LEFT "
                                 "JOIN trades t ON t.tid = w.tid WHERE w.state = 'pending' AND "
                                 "w.next_try <= :n ORDER BY w.id LIMIT :l",
         soci::use(n), soci::use(lim));
    for (const auto& r : rows)
      owed.push_back({get_int(r, 0), get_int(r, 1), get_int(r, 2), get_int(r, 3), get_text(r, 4),
                      get_text(r, 5), get_text(r, 6), get_text(r, 7)});
    return {};
  });
  if (!read) return std::unexpected(read.error());
  WritebackCounts counts;
  for (const auto& o : owed) {
    std::string state = "done", error;
    long long next = 0;
    auto* client = m_clients(o.shop);
    if (!client) {
      state = "skipped";
      error = "shop " + o.shop + " has no platform API: write the memo by hand";
      ++counts.skipped;
    } else {
      Result<const boost::json::object*> r =
          o.kind == "close"
              ? client->call("taobao.trade.close",
                             {{"tid", std::to_string(o.tid)}, {"close_reason", o.memo}})
              : client->call("taobao.trade.memo.update", {{"tid", std::to_string(o.tid)},
                                                          {"memo", memo_with(o.current, o.memo)},
                                                          {"flag", std::to_string(o.flag)}});
      if (r) {
        ++counts.done;
      } else if (is_retryable(r.error().kind) || r.error().kind == ErrorKind::auth) {
        state = "pending";
        error = r.error().message;
        next = now + retry_after_seconds(o.tries);
        ++counts.retry;
      } else {
        state = "refused";
        error = r.error().message;
        ++counts.refused;
        log::warn("platform refused a reminder write-back",
                  {{"tid", o.tid}, {"kind", o.kind}, {"error", error}});
      }
    }
    auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
      long long id = o.id, at = now;
      soci::indicator done_ind = state == "pending" ? soci::i_null : soci::i_ok;
      m_conn.sql() << "UPDATE reminder_writebacks SET state = :s, error = :e, tries = tries + 1, "
                      "next_try = :n, done_at = :d WHERE id = :i",
          soci::use(state), soci::use(error), soci::use(next), soci::use(at, done_ind),
          soci::use(id);
      return {};
    });
    if (!done) return std::unexpected(done.error());
  }
  return counts;
}

}  // namespace fulfil::reminders
