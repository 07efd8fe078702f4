// A fake clock walks a simulated day of orders, one placed at every hour, through to their
// close in 5-minute steps, with staff who never reach anybody; every reminder's channel and
// time is checked against the silent-order table and the quiet hours, worked out by hand.
#include <gtest/gtest.h>

#include "common/timeutil.hpp"
#include "reminders/planner.hpp"

namespace fulfil::reminders {
namespace {

const UnixSeconds k_day0 = *parse_gmt8("2026-11-11 00:00:00");
constexpr int k_step = 300;

UnixSeconds at(int day, int hour, int minute = 0) {
  return k_day0 + day * 86400 + hour * 3600 + minute * 60;
}

int minute_of(UnixSeconds t) {
  return static_cast<int>((t - k_day0) % 86400 / 60);
}

bool phone_quiet(UnixSeconds t) {
  const int m = minute_of(t);
  return m < 9 * 60 || (m >= 11 * 60 + 30 && m < 14 * 60) || m >= 21 * 60;
}

bool sms_quiet(UnixSeconds t) {
  const int m = minute_of(t);
  return m < 9 * 60 || m >= 21 * 60;
}

// The table of domain §7 for an order placed at hh:17 on day 0: the silent window's end.
UnixSeconds silent_until(int hour) {
  if (hour >= 6 && hour < 12) return at(0, 12);
  if (hour >= 12 && hour < 17) return at(0, 17);
  if (hour >= 17 && hour < 22) return at(0, 22);
  if (hour >= 22) return at(1, 12);  // late night: after 10:00 the next day
  return at(0, 12);                  // after midnight: 10:00-12:00 the same day
}

// The first moment at or after t outside the phone's quiet hours, by hand.
UnixSeconds first_callable(UnixSeconds t) {
  const int m = minute_of(t);
  const UnixSeconds day = t - m * 60;
  if (m < 9 * 60) return day + 9 * 3600;
  if (m >= 11 * 60 + 30 && m < 14 * 60) return day + 14 * 3600;
  if (m >= 21 * 60) return day + 86400 + 9 * 3600;
  return t;
}

// The first moment at or after t outside the texts' quiet hours (21:00-09:00), by hand.
UnixSeconds first_textable(UnixSeconds t) {
  const int m = minute_of(t);
  const UnixSeconds day = t - m * 60;
  if (m < 9 * 60) return day + 9 * 3600;
  if (m >= 21 * 60) return day + 86400 + 9 * 3600;
  return t;
}

struct Made {
  Channel channel;
  UnixSeconds planned, from, until;
};

// Walks one order; staff answer every task 5 minutes after it appears and reach nobody.
std::vector<Made> walk(UnixSeconds placed, Fen amount, const ReminderSettings& s) {
  ReminderSeen r{placed, amount, amount >= s.big_order, false, {}};
  BuyerHistory buyer;
  buyer.has_mobile = true;
  std::vector<Made> made;
  const UnixSeconds close = placed + 72 * 3600;
  for (UnixSeconds now = placed; now < close + k_step; now += k_step) {
    for (auto& a : r.attempts)
      if (a.state == "due" && now >= a.created + k_step) {
        a.state = a.channel == Channel::sms ? "failed" : "done";  // texts refused: no number
        if (a.channel != Channel::sms)
          a.outcome = a.channel == Channel::im ? Outcome::offline : Outcome::no_answer;
        a.done_at = now;
      }
    const Step step = plan_step(r, buyer, now, s, s.timing);
    if (!step.attempt) continue;
    made.push_back(
        {step.attempt->channel, now, step.attempt->window.from, step.attempt->window.until});
    r.attempts.push_back({step.attempt->channel, "due", std::nullopt, now, std::nullopt});
  }
  return made;
}

TEST(ReminderDay, EveryOrderOfADayIsRemindedOnTheTableAndNeverInQuietHours) {
  ReminderSettings s;
  for (int hour = 0; hour < 24; ++hour)
    for (const Fen amount : {Fen{10000}, Fen{30000}}) {  // a text for 100 yuan, a call for 300
      SCOPED_TRACE("placed " + std::to_string(hour) + ":17, " + format_yuan(amount) + " yuan");
      const UnixSeconds placed = at(0, hour, 17);
      const auto made = walk(placed, amount, s);
      ASSERT_FALSE(made.empty());
      // First the IM reminder, 10 minutes after placing, until the silent window ends.
      EXPECT_EQ(made[0].channel, Channel::im);
      EXPECT_EQ(made[0].planned, placed + 10 * 60 + (k_step - 600 % k_step) % k_step);
      EXPECT_EQ(made[0].until, silent_until(hour));
      int calls = 0, texts = 0;
      UnixSeconds last_call = 0;
      for (std::size_t i = 1; i < made.size(); ++i) {
        const auto& m = made[i];
        EXPECT_LT(m.planned, placed + 72 * 3600) << "after the close";
        EXPECT_EQ(m.until, placed + 72 * 3600);
        if (m.channel == Channel::phone) {
          ++calls;
          EXPECT_FALSE(phone_quiet(m.from)) << format_gmt8(m.from);
          EXPECT_FALSE(phone_quiet(m.planned)) << format_gmt8(m.planned);
          if (calls == 1 && amount >= s.phone_from) {
            // The same time of day, the next day, moved out of the quiet hours.
            const UnixSeconds due = first_callable(placed + 86400);
            EXPECT_GE(m.planned, due);
            EXPECT_LT(m.planned - due, k_step) << format_gmt8(m.planned);
          } else if (calls > 1) {  // another slot, 3 hours after the unanswered call or later
            EXPECT_GE(m.planned, last_call + k_step + 3 * 3600);
          }
          last_call = m.planned;
        } else {
          ASSERT_EQ(m.channel, Channel::sms);
          ++texts;
          EXPECT_FALSE(sms_quiet(m.planned)) << format_gmt8(m.planned);
          EXPECT_GE(m.planned, placed + 86400);  // the last 2 days before the close
          if (amount < s.phone_from) {           // the first moment of the text window, in bulk
            const UnixSeconds due = first_textable(placed + 86400);
            EXPECT_GE(m.planned, due);
            EXPECT_LT(m.planned - due, k_step) << format_gmt8(m.planned);
          }
        }
      }
      // A call for what is worth one, a text for the rest; each falls back to the other when
      // it is spent (calls unanswered, the text refused).
      EXPECT_EQ(calls, s.phone_tries);
      EXPECT_EQ(texts, 1);
      EXPECT_EQ(made[1].channel, amount >= s.phone_from ? Channel::phone : Channel::sms);
    }
}

}  // namespace
}  // namespace fulfil::reminders

namespace fulfil::reminders {
namespace {

// Seed 004 for a cross-border shop: the general message at once, the quality one after half
// a day, the discount after two days; nobody answered two of them by then: given up.
TEST(ReminderDay, ACrossBorderBuyerGetsTheThreeMessagesThenIsGivenUp) {
  ReminderSettings s;
  const UnixSeconds placed = at(0, 15, 17);
  ReminderSeen r{placed, 8000, false, true, {}};
  BuyerHistory buyer;
  buyer.has_mobile = true;
  std::vector<std::pair<UnixSeconds, int>> messages;
  std::optional<std::string> given_up;
  UnixSeconds gave_up_at = 0;
  for (UnixSeconds now = placed; now < placed + 72 * 3600 && !given_up; now += k_step) {
    for (auto& a : r.attempts)
      if (a.state == "due") a.state = "done", a.outcome = Outcome::sent, a.done_at = now;
    const Step step = plan_step(r, buyer, now, s, s.timing);
    if (step.give_up) given_up = step.give_up, gave_up_at = now;
    if (!step.attempt) continue;
    EXPECT_EQ(step.attempt->channel, Channel::im);
    messages.emplace_back(now, step.attempt->stage);
    r.attempts.push_back({Channel::im, "due", std::nullopt, now, std::nullopt});
  }
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].second, 0);
  EXPECT_LT(messages[0].first - (placed + 600), k_step);
  EXPECT_EQ(messages[1].second, 1);
  EXPECT_LT(messages[1].first - (placed + 12 * 3600), k_step);
  EXPECT_EQ(messages[2].second, 2);
  EXPECT_LT(messages[2].first - (placed + 48 * 3600), k_step);
  ASSERT_TRUE(given_up);
  EXPECT_NE(given_up->find("no answer to 3 messages"), std::string::npos) << *given_up;
  EXPECT_LT(gave_up_at - messages[2].first, 2 * k_step);
}

// A buyer who answers is not given up: the chase waits for the payment or the close.
TEST(ReminderDay, ACrossBorderBuyerWhoRepliesIsNotGivenUp) {
  ReminderSettings s;
  const UnixSeconds placed = at(0, 9, 0);
  ReminderSeen r{placed, 8000, false, true, {}};
  BuyerHistory buyer;
  for (UnixSeconds now = placed; now < placed + 72 * 3600; now += k_step) {
    for (auto& a : r.attempts)
      if (a.state == "due") a.state = "done", a.outcome = Outcome::replied, a.done_at = now;
    const Step step = plan_step(r, buyer, now, s, s.timing);
    EXPECT_FALSE(step.give_up);
    if (step.attempt) r.attempts.push_back({Channel::im, "due", std::nullopt, now, std::nullopt});
  }
  EXPECT_EQ(r.attempts.size(), 3u);
}

}  // namespace
}  // namespace fulfil::reminders
