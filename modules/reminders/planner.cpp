#include "reminders/planner.hpp"

#include <algorithm>
#include <array>

namespace fulfil::reminders {

namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 10> k_outcomes{{
    {Outcome::will_pay, "will_pay"},
    {Outcome::paid, "paid"},
    {Outcome::not_buyer, "not_buyer"},
    {Outcome::no_answer, "no_answer"},
    {Outcome::offline, "offline"},
    {Outcome::sent, "sent"},
    {Outcome::replied, "replied"},
    {Outcome::wants_close, "wants_close"},
    {Outcome::refused, "refused"},
    {Outcome::angry, "angry"},
}};

// The cross-border messages of seed 004 go this long after placing: the general one with
// the first IM reminder, the quality one after half a day, the discount after two days.
UnixSeconds stage_time(int stage, UnixSeconds placed, const TimingSettings& t) {
  switch (stage) {
    case 0:
      return placed + 60LL * t.im_after_minutes;
    case 1:
      return placed + 12 * 3600;
    default:
      return placed + 48 * 3600;
  }
}

// The channels that reached the buyer: an unanswered call or an expired task reminded nobody.
ReminderFacts candidate_of(const ReminderSeen& r) {
  ReminderFacts c{r.amount, r.big, {}};
  for (const auto& a : r.attempts)
    if (a.state == "sent" || a.state == "delivered" || (a.outcome && reached(*a.outcome)))
      c.used.push_back(a.channel);
  return c;
}

int count(const ReminderSeen& r, Channel ch) {
  return static_cast<int>(std::count_if(r.attempts.begin(), r.attempts.end(),
                                        [&](const AttemptSeen& a) { return a.channel == ch; }));
}

Step cross_border_step(const ReminderSeen& r, const BuyerHistory& buyer, UnixSeconds now,
                       const ReminderSettings& s, const TimingSettings& t, UnixSeconds close) {
  Step out;
  out.wake_at = close;
  const int sent = count(r, Channel::im);
  const int unanswered = static_cast<int>(
      std::count_if(r.attempts.begin(), r.attempts.end(), [](const AttemptSeen& a) {
        return a.channel == Channel::im && (a.state == "expired" || a.outcome == Outcome::sent ||
                                            a.outcome == Outcome::offline);
      }));
  if (sent >= 3 && unanswered >= s.give_up_unanswered && now >= r.first_placed + 48 * 3600) {
    out.give_up =
        "no answer to " + std::to_string(unanswered) + " messages in two days: given up (seed 004)";
    return out;
  }
  if (sent >= 3) return out;
  const UnixSeconds at = stage_time(sent, r.first_placed, t);
  if (now < at) {
    out.wake_at = at;
    return out;
  }
  // Three messages in two days are the practice here, not "too often".
  EligibilitySettings relaxed = s.eligibility;
  relaxed.cap = std::max(relaxed.cap, 3);
  ReminderFacts c{r.amount, false, {}};
  auto d = may_use(Channel::im, c, buyer, now, relaxed);
  if (!d.allowed) {
    out.notes.push_back(d.why);
    out.wake_at = now + 3600;
    return out;
  }
  const UnixSeconds until =
      sent < 2 ? std::min(close, stage_time(sent + 1, r.first_placed, t)) : close;
  out.attempt = Step::NewAttempt{Channel::im, {now, std::max(until, now + 3600)}, sent};
  return out;
}

}  // namespace

std::string_view to_string(Outcome o) {
  for (const auto& [k, name] : k_outcomes)
    if (k == o) return name;
  return "?";
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  for (const auto& [k, name] : k_outcomes)
    if (name == text) return k;
  return std::nullopt;
}

bool reached(Outcome o) {
  return o != Outcome::no_answer && o != Outcome::offline;
}

bool responded(Outcome o) {
  return o == Outcome::will_pay || o == Outcome::paid || o == Outcome::replied ||
         o == Outcome::wants_close || o == Outcome::refused || o == Outcome::angry;
}

bool ends_reminder(Outcome o) {
  return o == Outcome::wants_close || o == Outcome::refused || o == Outcome::angry;
}

Step plan_step(const ReminderSeen& r, const BuyerHistory& buyer, UnixSeconds now,
               const ReminderSettings& s, const TimingSettings& t) {
  const UnixSeconds close = close_time(r.first_placed, t);
  Step out;
  out.wake_at = close;
  if (now >= close) return out;  // the platform closes it; the settlement records that
  if (std::any_of(r.attempts.begin(), r.attempts.end(),
                  [](const AttemptSeen& a) { return a.open(); }))
    return out;  // one at a time: its end wakes the reminder
  if (r.cross_border) return cross_border_step(r, buyer, now, s, t, close);
  const ReminderFacts cand = candidate_of(r);

  // IM while the silent window is open: free, and a soft reminder (check the address).
  if (const Window im = im_window(r.first_placed, t); !im.empty() && count(r, Channel::im) == 0) {
    if (now < im.from) {
      out.wake_at = im.from;
      return out;
    }
    if (now < im.until) {
      auto d = may_use(Channel::im, cand, buyer, now, s.eligibility);
      if (d.allowed) {
        out.attempt = Step::NewAttempt{Channel::im, im};
        return out;
      }
      out.notes.push_back(d.why);
    }
  }

  // Then a call for what is worth one, a text for the rest; the other if that is not allowed.
  const Channel preferred = r.amount >= s.phone_from ? Channel::phone : Channel::sms;
  const Channel other = preferred == Channel::phone ? Channel::sms : Channel::phone;
  for (const Channel ch : {preferred, other}) {
    Window w;
    const int tried = count(r, ch);
    if (ch == Channel::sms) {
      if (tried > 0) continue;  // one text per reminder
      w = sms_window(r.first_placed, t);
    } else {
      const AttemptSeen* last = nullptr;
      for (const auto& a : r.attempts)
        if (a.channel == Channel::phone) last = &a;
      if (last && (last->outcome && reached(*last->outcome))) continue;  // they were reached
      if (tried >= s.phone_tries) continue;
      if (!last) {
        w = phone_window(r.first_placed, t);
      } else {
        // Unanswered or not worked in time: another slot, later (seed 002).
        const UnixSeconds after = last->done_at.value_or(last->created);
        w = {next_allowed(after + 60LL * s.retry_after_minutes, t.phone_quiet), close};
      }
    }
    if (w.empty() || now >= w.until) continue;
    if (now < w.from) {
      // Wait for the preferred channel's window rather than use the other early.
      out.wake_at = std::min(out.wake_at, w.from);
      if (ch == preferred) return out;
      continue;
    }
    // Inside the window but in a quiet hour: wait for it to end.
    const auto& quiet = ch == Channel::phone ? t.phone_quiet : t.sms_quiet;
    if (const UnixSeconds open = next_allowed(now, quiet); open > now) {
      out.wake_at = std::min(out.wake_at, open);
      if (ch == preferred) return out;
      continue;
    }
    auto d = may_use(ch, cand, buyer, now, s.eligibility);
    if (d.allowed) {
      out.attempt = Step::NewAttempt{ch, {now, w.until}};
      return out;
    }
    out.notes.push_back(d.why);
  }
  if (!out.notes.empty()) out.wake_at = std::min(out.wake_at, now + 3600);
  return out;
}

}  // namespace fulfil::reminders
