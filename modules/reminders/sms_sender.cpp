#include "reminders/sms_sender.hpp"

#include <boost/json.hpp>

#include "common/log.hpp"
#include "reminders/attempt_rules.hpp"
#include "reminders/made.hpp"
#include "reminders/notes.hpp"
#include "reminders/planning.hpp"
#include "reminders/script_values.hpp"
#include "reminders/template_store.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_text;

namespace {

constexpr std::pair<std::string_view, std::string_view> k_variables[] = {
    {"顾客姓名", "name"},    {"下单时间", "time"}, {"订单ID", "order"}, {"店铺名称", "shop"},
    {"商品名称", "product"}, {"剩余天数", "days"}, {"金额", "amount"},  {"折扣", "discount"}};

// A text as the sender reads it: its attempt and the number it goes to.
struct Pending {
  std::int64_t id = 0, reminder = 0, tries = 0;
  std::string key, mobile, script;
  UnixSeconds until = 0, tried_at = 0, done_at = 0;
};

constexpr const char* k_pending =
    "SELECT a.id, a.reminder_id, a.idem_key, r.mobile, a.next_try, a.script, a.due_until, "
    "a.tries, COALESCE(a.done_at, 0) FROM reminder_attempts a JOIN reminders r ON r.id = "
    "a.reminder_id WHERE a.channel = 'sms' AND ";

// The texts matching `where` (after k_pending), with `bind` binding its parameters.
template <class Bind>
Result<std::vector<Pending>> read_pending(store::Connection& c, const std::string& where,
                                          Bind bind) {
  return store::guarded([&]() -> Result<std::vector<Pending>> {
    std::vector<Pending> out;
    soci::rowset<soci::row> rows = bind(c.sql().prepare << std::string(k_pending) + where);
    for (const auto& r : rows)
      out.push_back({get_int(r, 0), get_int(r, 1), get_int(r, 7), get_text(r, 2), get_text(r, 3),
                     get_text(r, 5), get_int(r, 6), get_int(r, 4), get_int(r, 8)});
    return out;
  });
}

}  // namespace

std::string template_param(std::string_view text, const Values& values) {
  boost::json::object o;
  for (const auto& name : placeholders_of(text))
    for (const auto& [placeholder, variable] : k_variables)
      if (placeholder == name)
        if (auto v = values.find(name); v != values.end()) o[variable] = v->second;
  return boost::json::serialize(o);
}

Result<SendCounts> SmsSender::run() {
  SendCounts counts;
  if (auto r = settle_sending(counts); !r) return std::unexpected(r.error());
  const UnixSeconds now = m_clock.now();
  if (next_allowed(now, m_settings.timing.sms_quiet) == now)
    if (auto r = send_due(counts); !r) return std::unexpected(r.error());
  if (auto r = read_receipts(counts); !r) return std::unexpected(r.error());
  return counts;
}

Result<void> SmsSender::settle_sending(SendCounts& counts) {
  auto read = read_pending(m_conn, "a.state = 'sending'", [](auto&& q) { return std::move(q); });
  if (!read) return std::unexpected(read.error());
  const auto& sending = *read;
  for (const auto& p : sending) {
    bool found = false;
    for (const auto& day : {sms_day(p.tried_at), sms_day(p.tried_at + 60)}) {
      auto receipts = m_sms.receipts(p.mobile, day);
      if (!receipts) {
        log::warn("SMS not settled yet", {{"key", p.key}, {"error", receipts.error().message}});
        found = true;  // unknown: leave it `sending`, ask again next pass
        break;
      }
      for (const auto& rc : *receipts) found = found || rc.out_id == p.key;
      if (found) {
        auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
          long long id = p.id, at = p.tried_at;
          long long cost =
              m_settings.sms.cost_per_part *
              static_cast<long long>(sms_parts(sms_characters(m_settings.sms.sign_name, p.script)));
          m_conn.sql() << "UPDATE reminder_attempts SET state = 'sent', biz_id = 'settled', cost "
                          "= :c, done_at = :t WHERE id = :i AND state = 'sending'",
              soci::use(cost), soci::use(at), soci::use(id);
          record_reminded(m_conn, p.reminder, p.tried_at, "sms", "短信", "", m_settings);
          add_note(m_conn, p.reminder, m_clock.now(),
                   "SMS answer was lost; the gateway has it (" + p.key + "): not sent again");
          return {};
        });
        if (!done) return done;
        ++counts.settled;
        break;
      }
    }
    if (found) continue;
    auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
      long long id = p.id;
      m_conn.sql() << "UPDATE reminder_attempts SET state = 'due' WHERE id = :i AND state = "
                      "'sending'",
          soci::use(id);
      return {};
    });
    if (!done) return done;
    ++counts.unsettled;
  }
  return {};
}

Result<void> SmsSender::send_due(SendCounts& counts) {
  const UnixSeconds now = m_clock.now();
  long long n = now, lim = m_settings.sms.batch;
  auto read = read_pending(
      m_conn,
      "a.state = 'due' AND a.due_from <= :n AND a.next_try <= :n2 AND "
      "r.state = 'open' ORDER BY r.big DESC, a.due_from, a.id LIMIT :l",
      [&](auto&& q) { return std::move(q), soci::use(n), soci::use(n), soci::use(lim); });
  if (!read) return std::unexpected(read.error());
  auto due = std::move(*read);
  TemplateStore templates(m_conn, m_clock);
  auto body = templates.body(m_settings.sms.template_name);
  if (!body) return std::unexpected(body.error());
  for (auto& p : due) {
    if (!*body)
      return fail(ErrorKind::config, "[reminders.sms] template \"" + m_settings.sms.template_name +
                                         "\" is not a saved template");
    auto facts = load_facts(m_conn, p.reminder);
    if (!facts) return std::unexpected(facts.error());
    const auto values = values_of(*facts, now, m_settings);
    const std::string text = fill(**body, values);
    // Recorded before the gateway is asked: a crash from here on is settled by the key.
    auto marked = store::in_transaction(m_conn, [&]() -> Result<bool> {
      long long id = p.id, at = now;
      soci::statement st =
          (m_conn.sql().prepare << "UPDATE reminder_attempts SET state = 'sending', tries = tries "
                                   "+ 1, next_try = :t, script = :s WHERE id = :i AND state = "
                                   "'due'",
           soci::use(at), soci::use(text), soci::use(id));
      st.execute(true);
      return st.get_affected_rows() == 1;
    });
    if (!marked) return std::unexpected(marked.error());
    if (!*marked) continue;
    auto answer = m_sms.send(p.mobile, template_param(**body, values), p.key);
    if (!answer && answer.error().kind != ErrorKind::remote_retry) {
      // It may have gone: left `sending`, settled by its key on the next pass.
      log::warn("SMS answer lost", {{"key", p.key}, {"error", answer.error().message}});
      continue;
    }
    const auto verdict = answer ? sms_verdict(answer->code) : SmsVerdict::retry;
    const std::string why = answer ? answer->code + " " + answer->message : answer.error().message;
    auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
      auto& sql = m_conn.sql();
      long long id = p.id, at = now, rid = p.reminder;
      if (verdict == SmsVerdict::sent) {
        long long cost =
            m_settings.sms.cost_per_part *
            static_cast<long long>(sms_parts(sms_characters(m_settings.sms.sign_name, text)));
        sql << "UPDATE reminder_attempts SET state = 'sent', biz_id = :b, cost = :c, error = '', "
               "done_at = :t WHERE id = :i",
            soci::use(answer->biz_id), soci::use(cost), soci::use(at), soci::use(id);
        record_reminded(m_conn, p.reminder, now, "sms", "短信", "", m_settings);
        return {};
      }
      const long long next = now + retry_after_seconds(p.tries + 1);
      if (verdict == SmsVerdict::account || (verdict == SmsVerdict::retry && next < p.until)) {
        sql << "UPDATE reminder_attempts SET state = 'due', next_try = :n, error = :e WHERE id = "
               ":i",
            soci::use(next), soci::use(why), soci::use(id);
        return {};
      }
      sql << "UPDATE reminder_attempts SET state = 'failed', error = :e, done_at = :t WHERE id = "
             ":i",
          soci::use(why), soci::use(at), soci::use(id);
      sql << "UPDATE reminders SET wake_at = :t WHERE id = :i", soci::use(at), soci::use(rid);
      add_note(m_conn, p.reminder, now,
               "SMS failed: " + why +
                   (verdict == SmsVerdict::retry ? " (its window ended)" : " (not retried)"));
      return {};
    });
    if (!done) return done;
    if (verdict == SmsVerdict::sent)
      ++counts.sent;
    else if (verdict == SmsVerdict::account) {
      counts.alert = "the SMS gateway refused the account: " + why +
                     "; no text is sent until [reminders.sms] is fixed";
      log::error("SMS account refused", {{"error", why}});
      break;
    } else if (verdict == SmsVerdict::retry)
      ++counts.retry;
    else
      ++counts.rejected;
  }
  return {};
}

Result<void> SmsSender::read_receipts(SendCounts& counts) {
  const UnixSeconds now = m_clock.now();
  long long from = now - 86400, to = now - 300;
  auto read = read_pending(m_conn,
                           "a.state = 'sent' AND a.done_at > :f AND a.done_at < :t ORDER BY "
                           "a.done_at LIMIT 20",
                           [&](auto&& q) { return std::move(q), soci::use(from), soci::use(to); });
  if (!read) return std::unexpected(read.error());
  const auto& sent = *read;
  for (const auto& p : sent) {
    auto receipts = m_sms.receipts(p.mobile, sms_day(p.done_at));
    if (!receipts) return {};  // receipts are a nicety: try again next pass
    for (const auto& rc : *receipts) {
      if (rc.out_id != p.key || rc.status == 1) continue;
      auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
        long long id = p.id;
        std::string state = rc.status == 3 ? "delivered" : "undelivered";
        m_conn.sql() << "UPDATE reminder_attempts SET state = :s, error = :e WHERE id = :i",
            soci::use(state), soci::use(rc.err_code), soci::use(id);
        return {};
      });
      if (!done) return done;
      ++counts.delivered;
    }
  }
  return {};
}

}  // namespace fulfil::reminders
