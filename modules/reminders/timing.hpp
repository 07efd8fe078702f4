#pragma once
#include <utility>
#include <vector>

#include "common/clock.hpp"

namespace fulfil::reminders {

// Times of day are minutes after Shanghai midnight (540 = 09:00); China keeps UTC+8 all year.
using Minute = int;
// [from, to) within one day; a range that ends at 1440 runs to midnight.
using DayRange = std::pair<Minute, Minute>;

// One row of the silent-order table (domain §7, seed 001): an order placed in `placed`
// (which may wrap past midnight) is reminded within `remind` on the first day whose window
// still lies ahead once the order has waited.
struct TimingRow {
  DayRange placed;
  DayRange remind;
};

struct TimingSettings {
  // morning -> before 12:00 the same day; afternoon -> before 17:00; evening -> before 22:00;
  // late night -> after 10:00 the next day. Nobody is reminded before 09:00.
  std::vector<TimingRow> table = {{{360, 720}, {540, 720}},
                                  {{720, 1020}, {540, 1020}},
                                  {{1020, 1320}, {540, 1320}},
                                  {{1320, 360}, {600, 720}}};
  int wait_minutes = 30;      // a silent order is left this long: many pay on their own
  int im_after_minutes = 10;  // unpaid this long with the buyer online: a soft IM reminder
  // Nobody is phoned then (seed 003): night, lunch, evening.
  std::vector<DayRange> phone_quiet = {{0, 540}, {690, 840}, {1260, 1440}};
  std::vector<DayRange> sms_quiet = {{0, 540}, {1260, 1440}};  // no texts at night
  int close_after_hours = 72;     // the platform closes an unpaid trade (a shop may shorten it)
  int sms_days_before_close = 2;  // SMS is for the last days before the close, in bulk
};

// When something may be done, [from, until); empty when from >= until.
struct Window {
  UnixSeconds from = 0, until = 0;
  bool empty() const { return from >= until; }
};

// The minute of the Shanghai day of a moment.
Minute shanghai_minute(UnixSeconds t);
// The first moment at or after `t` outside every quiet range (itself when already outside).
UnixSeconds next_allowed(UnixSeconds t, const std::vector<DayRange>& quiet);
// When the platform closes the trade unpaid.
UnixSeconds close_time(UnixSeconds placed, const TimingSettings& s);

// The silent-order table: when a person should remind the buyer of an order placed at
// `placed` (IM or phone tasks are due in it); empty past the close.
Window silent_window(UnixSeconds placed, const TimingSettings& s);
// The soft IM reminder to a buyer still online: im_after_minutes after placing, for the rest
// of the silent window.
Window im_window(UnixSeconds placed, const TimingSettings& s);
// A call: by default at the time of day the order was placed, the next day, moved out of the
// quiet hours; until the close (a call after the close is pointless).
Window phone_window(UnixSeconds placed, const TimingSettings& s);
// A text: in the last sms_days_before_close days before the close, outside the SMS quiet
// hours; not before the order has waited.
Window sms_window(UnixSeconds placed, const TimingSettings& s);

}  // namespace fulfil::reminders
