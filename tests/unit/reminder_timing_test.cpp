// The payment reminders' timing (domain §7): the silent-order table for orders placed at
// every hour of a day, the IM reminder after 10 minutes, calls the next day at the same time
// of day out of the quiet hours, texts in the last two days before the close. Times are
// written in Shanghai time.
#include <gtest/gtest.h>

#include "common/timeutil.hpp"
#include "reminders/timing.hpp"

namespace fulfil::reminders {
namespace {

// 2026-11-11 HH:MM in Shanghai.
UnixSeconds at(int day, int hour, int minute = 0) {
  return *parse_iso("2026-11-" + std::to_string(day) + " " + (hour < 10 ? "0" : "") +
                    std::to_string(hour) + ":" + (minute < 10 ? "0" : "") + std::to_string(minute));
}

std::string shown(UnixSeconds t) {
  return format_gmt8(t).substr(8, 8);  // "11 09:00"
}

TEST(ReminderTiming, NextAllowedLeavesTheQuietHours) {
  const TimingSettings s;
  EXPECT_EQ(shown(next_allowed(at(11, 3), s.phone_quiet)), "11 09:00");
  EXPECT_EQ(shown(next_allowed(at(11, 12), s.phone_quiet)), "11 14:00") << "lunch";
  EXPECT_EQ(shown(next_allowed(at(11, 10, 15), s.phone_quiet)), "11 10:15");
  EXPECT_EQ(shown(next_allowed(at(11, 21, 30), s.phone_quiet)), "12 09:00")
      << "the evening's quiet runs into the night's";
  EXPECT_EQ(shanghai_minute(at(11, 23, 59)), 23 * 60 + 59);
}

// Every hour of a day: the window the table gives, as "day hh:mm-day hh:mm".
TEST(ReminderTiming, TheSilentOrderTableForOrdersPlacedAtEveryHour) {
  const TimingSettings s;
  const char* expected[24] = {
      "11 10:00-11 12:00",  // 00:00 late night: 10:00 the (same calendar) next morning
      "11 10:00-11 12:00", "11 10:00-11 12:00", "11 10:00-11 12:00", "11 10:00-11 12:00",
      "11 10:00-11 12:00",
      "11 09:00-11 12:00",  // 06:00 morning: before noon
      "11 09:00-11 12:00", "11 09:00-11 12:00",
      "11 09:30-11 12:00",  // 09:00: after the 30 minutes' wait
      "11 10:30-11 12:00", "11 11:30-11 12:00",
      "11 12:30-11 17:00",  // 12:00 afternoon: before 17:00
      "11 13:30-11 17:00", "11 14:30-11 17:00", "11 15:30-11 17:00", "11 16:30-11 17:00",
      "11 17:30-11 22:00",  // 17:00 evening: before 22:00
      "11 18:30-11 22:00", "11 19:30-11 22:00", "11 20:30-11 22:00", "11 21:30-11 22:00",
      "12 10:00-12 12:00",  // 22:00 late night: after 10:00 the next day
      "12 10:00-12 12:00"};
  for (int hour = 0; hour < 24; ++hour) {
    const auto w = silent_window(at(11, hour), s);
    EXPECT_EQ(shown(w.from) + "-" + shown(w.until), expected[hour]) << "placed " << hour << ":00";
  }
  // Placed too late for its own window: the next day's.
  const auto late = silent_window(at(11, 11, 45), s);
  EXPECT_EQ(shown(late.from), "12 09:00");
  EXPECT_EQ(shown(late.until), "12 12:00");
}

TEST(ReminderTiming, ImAfterTenMinutesPhoneTheNextDayTextsBeforeTheClose) {
  const TimingSettings s;
  const auto im = im_window(at(11, 15, 20), s);
  EXPECT_EQ(shown(im.from), "11 15:30");
  EXPECT_EQ(shown(im.until), "11 17:00");

  EXPECT_EQ(shown(phone_window(at(11, 10, 5), s).from), "12 10:05") << "same time, next day";
  EXPECT_EQ(shown(phone_window(at(11, 12, 40), s).from), "12 14:00") << "not at lunch";
  EXPECT_EQ(shown(phone_window(at(11, 23, 10), s).from), "13 09:00") << "not at night";
  EXPECT_EQ(shown(phone_window(at(11, 10, 5), s).until), "14 10:05") << "until the close";

  const auto sms = sms_window(at(11, 10, 5), s);
  EXPECT_EQ(shown(sms.from), "12 10:05") << "two days before the close at 14 10:05";
  EXPECT_EQ(shown(sms.until), "14 10:05");
  EXPECT_EQ(shown(sms_window(at(11, 22, 30), s).from), "13 09:00") << "no texts at night";

  TimingSettings promo = s;  // a promotion closes unpaid trades after one hour
  promo.close_after_hours = 1;
  EXPECT_EQ(shown(sms_window(at(11, 10, 0), promo).from), "11 10:30") << "after the wait";
  EXPECT_TRUE(phone_window(at(11, 10, 0), promo).empty()) << "tomorrow is too late";
  EXPECT_EQ(shown(silent_window(at(11, 10, 0), promo).until), "11 11:00");
}

}  // namespace
}  // namespace fulfil::reminders
