#include "reminders/task_desk.hpp"

#include <array>

#include "common/timeutil.hpp"
#include "reminders/made.hpp"
#include "reminders/notes.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_text;

namespace {

struct ReasonInfo {
  Reason reason;
  std::string_view key, response;
};

// Seed 001: objective (operation) and subjective reasons, and what to do about each.
constexpr std::array<ReasonInfo, 5> k_reasons{{
    {Reason::none, "", ""},
    {Reason::operation, "operation",
     "忘记支付密码、余额不足、新手不会付款、网银升级：帮买家找回密码或截图说明付款步骤；余额不足时"
     "问好方便"
     "充值的时间，到时再提醒；主动热情，跟踪催付。"},
    {Reason::price, "price",
     "对价格或邮费有疑问：了解顾客的心理预期，强调性价比；多笔订单合并改邮费；可赠优惠券或赠品。"},
    {Reason::comparing, "comparing",
     "货比三家：喊出买家利益，说明商品优势和服务保障（发货快、售后），提醒库存有限、活动将结束。"},
    {Reason::other, "other", "其他原因：记下买家的原话，约好再联系的时间。"},
}};

std::string_view outcome_text(Outcome o) {
  switch (o) {
    case Outcome::will_pay:
      return "答应付款";
    case Outcome::paid:
      return "已付款";
    case Outcome::not_buyer:
      return "非本人，已留言";
    case Outcome::no_answer:
      return "无人接听";
    case Outcome::offline:
      return "不在线";
    case Outcome::sent:
      return "已留言";
    case Outcome::replied:
      return "已回复";
    case Outcome::wants_close:
      return "要求关闭";
    case Outcome::refused:
      return "不要催付";
    case Outcome::angry:
      return "反感";
  }
  return "";
}

// A call cannot end "offline" or "sent"; an IM message cannot go unanswered on the phone.
bool fits(Outcome o, std::string_view channel) {
  const bool im_only = o == Outcome::offline || o == Outcome::sent || o == Outcome::replied;
  const bool phone_only = o == Outcome::not_buyer || o == Outcome::no_answer;
  return channel == "phone" ? !im_only : !phone_only;
}

}  // namespace

std::string_view to_string(Reason r) {
  for (const auto& i : k_reasons)
    if (i.reason == r) return i.key;
  return "";
}

std::optional<Reason> parse_reason(std::string_view text) {
  for (const auto& i : k_reasons)
    if (i.key == text) return i.reason;
  return std::nullopt;
}

std::string_view suggested_response(Reason r) {
  for (const auto& i : k_reasons)
    if (i.reason == r) return i.response;
  return "";
}

Result<std::vector<Task>> TaskDesk::due(Channel channel, int limit) {
  const UnixSeconds now = m_clock.now();
  return store::guarded([&]() -> Result<std::vector<Task>> {
    std::vector<Task> out;
    std::string ch(channel_key(channel));
    long long n = now, lim = limit;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
             << "SELECT a.id, a.reminder_id, r.shop, r.buyer_nick, r.mobile, a.script, r.amount, "
                "r.orders, r.big, r.first_placed, a.due_from, a.due_until FROM reminder_attempts "
                "a JOIN reminders r ON r.id = a.reminder_id WHERE a.channel = :c AND a.state = "
                "'due' AND a.due_from <= :n AND r.state = 'open' ORDER BY r.big DESC, "
                "r.first_placed, a.id LIMIT :l",
         soci::use(ch), soci::use(n), soci::use(lim));
    for (const auto& r : rows) {
      Task t;
      t.id = get_int(r, 0);
      t.reminder_id = get_int(r, 1);
      t.channel = channel;
      t.shop = get_text(r, 2);
      t.buyer_nick = get_text(r, 3);
      t.mobile = get_text(r, 4);
      t.script = get_text(r, 5);
      t.amount = get_int(r, 6);
      t.orders = static_cast<int>(get_int(r, 7));
      t.big = get_int(r, 8) != 0;
      t.first_placed = get_int(r, 9);
      t.due_from = get_int(r, 10);
      t.due_until = get_int(r, 11);
      if (channel == Channel::phone) {
        t.next_allowed = next_allowed(now, m_settings.timing.phone_quiet);
        t.now_allowed = t.next_allowed == now;
      } else {
        t.next_allowed = now;
      }
      out.push_back(std::move(t));
    }
    return out;
  });
}

Result<void> TaskDesk::record(std::int64_t id, const OutcomeForm& form, const std::string& staff) {
  const UnixSeconds now = m_clock.now();
  if (form.note.size() > 2000) return fail(ErrorKind::invalid_input, "note: at most 2,000 bytes");
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    auto& sql = m_conn.sql();
    long long aid = id, rid = 0;
    std::string channel, state, rstate, shop, nick;
    soci::indicator ind = soci::i_null;
    sql << "SELECT a.reminder_id, a.channel, a.state, r.state, r.shop, r.buyer_nick FROM "
           "reminder_attempts a JOIN reminders r ON r.id = a.reminder_id WHERE a.id = :i",
        soci::use(aid), soci::into(rid, ind), soci::into(channel), soci::into(state),
        soci::into(rstate), soci::into(shop), soci::into(nick);
    if (ind != soci::i_ok)
      return fail(ErrorKind::not_found, "no reminder task " + std::to_string(id));
    if (channel == "sms")
      return fail(ErrorKind::invalid_input,
                  "task " + std::to_string(id) + " is a text: its outcome comes from the gateway");
    if (state != "due")
      return fail(ErrorKind::conflict,
                  "task " + std::to_string(id) + " is " + state + ", not open: reload the list");
    if (rstate != "open")
      return fail(ErrorKind::conflict,
                  "the reminder of task " + std::to_string(id) + " is " + rstate + " already");
    const Outcome o = form.outcome;
    if (!fits(o, channel))
      return fail(ErrorKind::invalid_input,
                  "outcome " + std::string(to_string(o)) + " is not one of a " + channel + " task");
    std::string outcome(to_string(o)), reason(to_string(form.reason));
    long long at = now;
    sql << "UPDATE reminder_attempts SET state = 'done', outcome = :o, note = :n, staff = :s, "
           "done_at = :t WHERE id = :i",
        soci::use(outcome), soci::use(form.note), soci::use(staff), soci::use(at), soci::use(aid);
    if (form.reason != Reason::none)
      sql << "UPDATE reminders SET reason = :r WHERE id = :i", soci::use(reason), soci::use(rid);
    if (responded(o)) sql << "UPDATE reminders SET responded = 1 WHERE id = :i", soci::use(rid);
    const std::string how = channel == "phone" ? "电话" : "旺旺";
    if (reached(o))
      record_reminded(m_conn, rid, now, staff, how, std::string(outcome_text(o)), m_settings);
    sql << "UPDATE reminders SET wake_at = :t WHERE id = :i", soci::use(at), soci::use(rid);
    add_note(m_conn, rid, now,
             how + " " + std::string(outcome_text(o)) + " (" + staff + ")" +
                 (form.note.empty() ? "" : ": " + form.note));
    if (ends_reminder(o)) {
      const std::string end = o == Outcome::wants_close ? "closed_request" : "refused";
      sql << "UPDATE reminders SET state = :s, settled_at = :t, wake_at = :t2 WHERE id = :i",
          soci::use(end), soci::use(at), soci::use(at), soci::use(rid);
      sql << "UPDATE reminder_attempts SET state = 'cancelled', done_at = :t WHERE reminder_id "
             "= :i AND state = 'due'",
          soci::use(at), soci::use(rid);
    }
    if (o == Outcome::wants_close) queue_writeback(m_conn, rid, now, "close", "买家不想买了", 0);
    if (o == Outcome::refused || o == Outcome::angry) {
      const std::string why = o == Outcome::angry ? "hung up angrily (" + staff + ")"
                                                  : "asked not to be reminded (" + staff + ")";
      int seen = 0;
      sql << "SELECT COUNT(*) FROM reminder_buyers WHERE shop = :s AND buyer_nick = :b",
          soci::use(shop), soci::use(nick), soci::into(seen);
      if (seen)
        sql << "UPDATE reminder_buyers SET never_again = 1, note = :n, updated_by = :u, "
               "updated_at = :t WHERE shop = :s AND buyer_nick = :b",
            soci::use(why), soci::use(staff), soci::use(at), soci::use(shop), soci::use(nick);
      else
        sql << "INSERT INTO reminder_buyers (shop, buyer_nick, sensitive, never_again, note, "
               "updated_by, updated_at) VALUES (:s, :b, 0, 1, :n, :u, :t)",
            soci::use(shop), soci::use(nick), soci::use(why), soci::use(staff), soci::use(at);
      if (m_settings.write_back)
        queue_writeback(m_conn, rid, now, "memo",
                        "[勿催付 " + format_gmt8(now).substr(5, 11) + " " + staff + "]",
                        m_settings.flag_do_not_remind);
    }
    return {};
  });
}

}  // namespace fulfil::reminders
