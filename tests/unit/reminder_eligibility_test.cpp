// Who may be reminded by which channel (domain §7, seed 003), each decision explained.
#include <gtest/gtest.h>

#include "common/timeutil.hpp"
#include "reminders/eligibility.hpp"

namespace fulfil::reminders {
namespace {

const UnixSeconds k_now = *parse_iso("2026-11-13 10:00");
const UnixSeconds k_two_days_ago = *parse_iso("2026-11-11 10:05");
const UnixSeconds k_four_days_ago = *parse_iso("2026-11-09 10:05");

BuyerHistory reachable() {
  BuyerHistory b;
  b.has_mobile = true;
  return b;
}

TEST(ReminderEligibility, SmsNeedsNoPaidOrderTextOrCallInThreeDays) {
  const EligibilitySettings s;
  const ReminderFacts c;
  EXPECT_TRUE(may_use(Channel::sms, c, reachable(), k_now, s).allowed);
  auto b = reachable();
  b.last_phone = k_two_days_ago;
  auto d = may_use(Channel::sms, c, b, k_now, s);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.why, "SMS skipped: phoned 2026-11-11 10:05");
  b.last_phone = k_four_days_ago;
  EXPECT_TRUE(may_use(Channel::sms, c, b, k_now, s).allowed) << "four days ago is long enough";
  b.last_paid = k_two_days_ago;
  EXPECT_EQ(may_use(Channel::sms, c, b, k_now, s).why,
            "SMS skipped: paid an order 2026-11-11 10:05");
  b = reachable();
  b.last_sms = k_two_days_ago;
  EXPECT_EQ(may_use(Channel::sms, c, b, k_now, s).why, "SMS skipped: texted 2026-11-11 10:05");
  EXPECT_EQ(may_use(Channel::sms, c, BuyerHistory{}, k_now, s).why,
            "SMS skipped: no mobile number");
}

TEST(ReminderEligibility, PhoneOnlyWithoutATextInThreeDaysImAlmostAlways) {
  const EligibilitySettings s;
  const ReminderFacts c;
  auto b = reachable();
  b.last_sms = k_two_days_ago;
  EXPECT_EQ(may_use(Channel::phone, c, b, k_now, s).why, "phone skipped: texted 2026-11-11 10:05");
  EXPECT_TRUE(may_use(Channel::im, c, b, k_now, s).allowed);
  b.last_sms.reset();
  b.last_phone = k_two_days_ago;
  EXPECT_TRUE(may_use(Channel::phone, c, b, k_now, s).allowed) << "a call does not bar a call";
}

TEST(ReminderEligibility, SensitiveNeverAgainBigOrdersAndTheCap) {
  const EligibilitySettings s;
  auto b = reachable();
  b.sensitive = true;
  EXPECT_EQ(may_use(Channel::im, {}, b, k_now, s).why,
            "IM skipped: the buyer is on the sensitive list");
  b = reachable();
  b.never_again = true;
  EXPECT_FALSE(may_use(Channel::phone, {}, b, k_now, s).allowed);
  ReminderFacts big{500000, true, {Channel::phone}};
  EXPECT_EQ(may_use(Channel::phone, big, reachable(), k_now, s).why,
            "phone skipped: a big order is not reminded the same way twice");
  EXPECT_TRUE(may_use(Channel::im, big, reachable(), k_now, s).allowed);
  ReminderFacts small{5000, false, {Channel::phone}};
  EXPECT_TRUE(may_use(Channel::phone, small, reachable(), k_now, s).allowed);
  b = reachable();
  b.reminded = {k_two_days_ago, k_now - 3600};
  EXPECT_EQ(may_use(Channel::im, {}, b, k_now, s).why,
            "IM skipped: reminded 2 times in 3 days already");
  b.reminded = {k_four_days_ago, k_now - 3600};
  EXPECT_TRUE(may_use(Channel::im, {}, b, k_now, s).allowed);
}

}  // namespace
}  // namespace fulfil::reminders
