#include "reminders/planning.hpp"

#include <map>
#include <set>

#include "common/timeutil.hpp"
#include "reminders/attempt_rules.hpp"
#include "reminders/notes.hpp"
#include "reminders/planner.hpp"
#include "reminders/script_values.hpp"
#include "reminders/template_store.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_opt_int;
using store::get_text;

namespace {

using BuyerKey = std::pair<std::string, std::string>;

struct Due {
  std::int64_t id = 0;
  std::string shop, nick, mobile;
  Fen amount = 0;
  UnixSeconds placed = 0;
  bool big = false;
};

// Which saved text an attempt is filled from.
std::string template_for(Channel ch, int stage, bool cross_border, const ReminderSettings& s) {
  if (cross_border) return "im-en-" + std::to_string(stage);
  switch (ch) {
    case Channel::sms:
      return s.sms.template_name;
    case Channel::phone:
      return s.phone_script;
    case Channel::im:
      return "im";
  }
  return {};
}

}  // namespace

bool reachable_mobile(std::string_view number) {
  std::string digits;
  for (char c : number) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != ' ' && c != '-' && c != '+')
      return false;
  }
  if (digits.size() == 13 && digits.starts_with("86")) digits.erase(0, 2);
  return digits.size() == 11 && digits[0] == '1';
}

Result<int> Planning::expire() {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    // Attempts before reminders, the order an outcome takes them in too (no deadlock).
    long long now = m_clock.now();
    soci::statement st =
        (m_conn.sql().prepare << "UPDATE reminder_attempts SET state = 'expired', done_at = :n "
                                 "WHERE state = 'due' AND due_until <= :n2",
         soci::use(now), soci::use(now));
    st.execute(true);
    const auto expired = static_cast<int>(st.get_affected_rows());
    if (expired)
      m_conn.sql() << "UPDATE reminders SET wake_at = :n WHERE id IN (SELECT reminder_id FROM "
                      "reminder_attempts WHERE state = 'expired' AND done_at = :n2)",
          soci::use(now), soci::use(now);
    return expired;
  });
}

Result<PlanCounts> Planning::plan(int limit, int batch) {
  const UnixSeconds now = m_clock.now();
  PlanCounts counts;
  auto expired = expire();
  if (!expired) return std::unexpected(expired.error());
  counts.expired = *expired;

  std::vector<Due> due;
  std::map<BuyerKey, BuyerHistory> history;
  auto read = store::guarded([&]() -> Result<void> {
    long long at = now, lim = limit;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT id, shop, buyer_nick, mobile, amount, first_placed, big "
                                 "FROM reminders WHERE state = 'open' AND wake_at <= :n ORDER "
                                 "BY wake_at, id LIMIT :l",
         soci::use(at), soci::use(lim));
    for (const auto& r : rows)
      due.push_back({get_int(r, 0), get_text(r, 1), get_text(r, 2), get_text(r, 3), get_int(r, 4),
                     get_int(r, 5), get_int(r, 6) != 0});
    if (due.empty()) return {};
    soci::rowset<soci::row> flags =
        (m_conn.sql().prepare << "SELECT shop, buyer_nick, sensitive, never_again FROM "
                                 "reminder_buyers WHERE sensitive = 1 OR never_again = 1");
    for (const auto& r : flags) {
      auto& h = history[{get_text(r, 0), get_text(r, 1)}];
      h.sensitive = get_int(r, 2) != 0;
      h.never_again = get_int(r, 3) != 0;
    }
    const auto& e = m_settings.eligibility;
    long long since = now - 86400LL * std::max(e.quiet_days, e.cap_days);
    soci::rowset<soci::row> paid =
        (m_conn.sql().prepare << "SELECT shop, buyer_nick, MAX(pay_time) FROM parcels WHERE "
                                 "pay_time > :s GROUP BY shop, buyer_nick",
         soci::use(since));
    for (const auto& r : paid) history[{get_text(r, 0), get_text(r, 1)}].last_paid = get_int(r, 2);
    soci::rowset<soci::row> made =
        (m_conn.sql().prepare << std::string("SELECT r.shop, r.buyer_nick, a.channel, a.done_at "
                                             "FROM reminder_attempts a JOIN reminders r ON r.id = "
                                             "a.reminder_id WHERE a.done_at > :s AND ") +
                                     k_made_attempt,
         soci::use(since));
    for (const auto& r : made) {
      auto& h = history[{get_text(r, 0), get_text(r, 1)}];
      const UnixSeconds t = get_int(r, 3);
      h.reminded.push_back(t);
      const auto ch = get_text(r, 2);
      if (ch == "sms") h.last_sms = std::max(h.last_sms.value_or(0), t);
      if (ch == "phone") h.last_phone = std::max(h.last_phone.value_or(0), t);
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());

  TemplateStore templates(m_conn, m_clock);
  std::map<std::string, std::optional<std::string>> bodies;
  for (std::size_t from = 0; from < due.size(); from += static_cast<std::size_t>(batch)) {
    const std::size_t to = std::min(due.size(), from + static_cast<std::size_t>(batch));
    // One transaction per batch from the read to the write: a person's outcome recorded
    // meanwhile either comes before (and is seen) or waits for the commit (and its wake-up
    // stands). On PostgreSQL the batch's rows are locked for that; on SQLite the writer's turn
    // does it. Reminders ended meanwhile (settled, closed on request) are left alone.
    auto wrote = store::in_transaction(m_conn, [&]() -> Result<PlanCounts> {
      PlanCounts part;
      auto& sql = m_conn.sql();
      std::string ids;
      for (std::size_t i = from; i < to; ++i)
        ids += (ids.empty() ? "" : ",") + std::to_string(due[i].id);
      std::set<std::int64_t> still_open;
      soci::rowset<soci::row> open_rows =
          (sql.prepare << "SELECT id FROM reminders WHERE id IN (" + ids + ") AND state = 'open'" +
                              (m_conn.dialect() == store::Dialect::postgresql ? " FOR UPDATE"
                                                                              : ""));
      for (const auto& r : open_rows) still_open.insert(get_int(r, 0));
      std::map<std::int64_t, std::vector<AttemptSeen>> attempts;
      soci::rowset<soci::row> rows =
          (sql.prepare << "SELECT reminder_id, channel, state, outcome, created_at, done_at FROM "
                          "reminder_attempts WHERE reminder_id IN (" +
                              ids + ") ORDER BY id");
      for (const auto& r : rows) {
        AttemptSeen a;
        a.channel = parse_channel(get_text(r, 1)).value_or(Channel::im);
        a.state = get_text(r, 2);
        a.outcome = parse_outcome(get_text(r, 3));
        a.created = get_int(r, 4);
        a.done_at = get_opt_int(r, 5);
        attempts[get_int(r, 0)].push_back(std::move(a));
      }

      // Decide every reminder of the batch, then read the facts of those that get a text or a
      // script in one query, then write with bulk statements.
      std::vector<std::optional<Step>> steps;
      std::vector<bool> cross;
      std::string need;
      for (std::size_t i = from; i < to; ++i) {
        const Due& d = due[i];
        const ReminderSeen r{d.placed, d.amount, d.big, m_settings.cross_border.contains(d.shop),
                             attempts[d.id]};
        cross.push_back(r.cross_border);
        if (!still_open.contains(d.id)) {
          steps.emplace_back();
          continue;
        }
        BuyerHistory h = history[{d.shop, d.nick}];
        h.has_mobile = reachable_mobile(d.mobile);
        steps.push_back(plan_step(r, h, now, m_settings, timing_for(m_settings, d.shop)));
        if (steps.back()->attempt) need += (need.empty() ? "" : ",") + std::to_string(d.id);
      }
      std::map<std::int64_t, ChasedOrder> facts;
      if (!need.empty())
        if (auto loaded = load_trades_of(m_conn, need, facts); !loaded)
          return std::unexpected(loaded.error());

      std::vector<long long> a_reminder, a_from, a_until, a_at, wake, wake_id;
      std::vector<std::string> a_channel, a_key, a_script;
      for (std::size_t i = from; i < to; ++i) {
        const Due& d = due[i];
        if (!steps[i - from]) continue;
        const Step& step = *steps[i - from];
        ++part.looked;
        long long id = d.id, at = now;
        for (const auto& n : step.notes) add_note(m_conn, d.id, now, n);
        if (step.give_up) {
          sql << "UPDATE reminders SET state = 'given_up', settled_at = :t WHERE id = :i",
              soci::use(at), soci::use(id);
          add_note(m_conn, d.id, now, *step.give_up);
          ++part.given_up;
          continue;
        }
        if (step.attempt) {
          const auto& a = *step.attempt;
          const std::string name = template_for(a.channel, a.stage, cross[i - from], m_settings);
          if (!bodies.contains(name)) {
            auto b = templates.body(name);
            if (!b) return std::unexpected(b.error());
            bodies[name] = *b;
          }
          std::string script;
          if (bodies[name]) {
            ChasedOrder f = facts[d.id];
            f.shop = d.shop;
            f.buyer_nick = d.nick;
            f.first_placed = d.placed;
            f.amount = d.amount;
            script = fill(*bodies[name], values_of(f, now, m_settings));
          } else {  // the attempt itself records when it is due; the missing text is noted
            add_note(m_conn, d.id, now,
                     "no saved text \"" + name + "\" for this " +
                         std::string(to_string(a.channel)) + ": write one");
          }
          const std::string channel(channel_key(a.channel));
          a_reminder.push_back(id);
          a_channel.push_back(channel);
          a_key.push_back("r" + std::to_string(d.id) + "-" + channel + "-" +
                          std::to_string(attempts[d.id].size() + 1));
          a_from.push_back(a.window.from);
          a_until.push_back(a.window.until);
          a_script.push_back(std::move(script));
          a_at.push_back(at);
          (a.channel == Channel::im    ? part.im
           : a.channel == Channel::sms ? part.sms
                                       : part.phone)++;
        }
        wake.push_back(step.wake_at);
        wake_id.push_back(id);
      }
      if (!a_reminder.empty())
        sql << "INSERT INTO reminder_attempts (reminder_id, channel, state, idem_key, due_from, "
               "due_until, script, created_at) VALUES (:r, :c, 'due', :k, :f, :u, :s, :a)",
            soci::use(a_reminder), soci::use(a_channel), soci::use(a_key), soci::use(a_from),
            soci::use(a_until), soci::use(a_script), soci::use(a_at);
      if (!wake.empty())
        sql << "UPDATE reminders SET wake_at = :w WHERE id = :i", soci::use(wake),
            soci::use(wake_id);
      return part;
    });
    if (!wrote) return std::unexpected(wrote.error());
    counts.looked += wrote->looked;
    counts.im += wrote->im;
    counts.sms += wrote->sms;
    counts.phone += wrote->phone;
    counts.given_up += wrote->given_up;
  }
  return counts;
}

}  // namespace fulfil::reminders
