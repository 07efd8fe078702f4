#include "reminders/timing.hpp"

#include <algorithm>

#include "common/timeutil.hpp"

namespace fulfil::reminders {

namespace {

constexpr std::int64_t k_day = 86400, k_minute = 60, k_hour = 3600;

// Shanghai midnight at or before t.
UnixSeconds day_start(UnixSeconds t) {
  const std::int64_t local = t + k_shanghai_offset;
  const std::int64_t days = local >= 0 ? local / k_day : (local - k_day + 1) / k_day;
  return days * k_day - k_shanghai_offset;
}

bool in_range(Minute m, const DayRange& r) {
  return r.first <= r.second ? m >= r.first && m < r.second : m >= r.first || m < r.second;
}

}  // namespace

Minute shanghai_minute(UnixSeconds t) {
  return static_cast<Minute>((t - day_start(t)) / 60);
}

UnixSeconds next_allowed(UnixSeconds t, const std::vector<DayRange>& quiet) {
  // Each step leaves one quiet range at its end; ranges that touch are crossed in turn.
  for (std::size_t step = 0; step <= quiet.size(); ++step) {
    const Minute m = shanghai_minute(t);
    auto hit = std::find_if(quiet.begin(), quiet.end(),
                            [&](const DayRange& r) { return m >= r.first && m < r.second; });
    if (hit == quiet.end()) return t;
    t = day_start(t) + k_minute * hit->second;
  }
  return t;
}

UnixSeconds close_time(UnixSeconds placed, const TimingSettings& s) {
  return placed + k_hour * s.close_after_hours;
}

Window silent_window(UnixSeconds placed, const TimingSettings& s) {
  const UnixSeconds waited = placed + k_minute * s.wait_minutes;
  const Minute at = shanghai_minute(placed);
  const auto row = std::find_if(s.table.begin(), s.table.end(),
                                [&](const TimingRow& r) { return in_range(at, r.placed); });
  if (row == s.table.end()) return {};
  // The first day, from the day of placing, whose window still lies ahead once it waited.
  for (UnixSeconds day = day_start(placed); day < close_time(placed, s); day += k_day) {
    Window w{std::max(day + k_minute * row->remind.first, waited),
             day + k_minute * row->remind.second};
    w.until = std::min(w.until, close_time(placed, s));
    if (!w.empty()) return w;
  }
  return {};
}

Window im_window(UnixSeconds placed, const TimingSettings& s) {
  auto silent = silent_window(placed, s);
  return {placed + k_minute * s.im_after_minutes,
          std::max(silent.until, placed + k_minute * s.im_after_minutes)};
}

Window phone_window(UnixSeconds placed, const TimingSettings& s) {
  return {next_allowed(placed + k_day, s.phone_quiet), close_time(placed, s)};
}

Window sms_window(UnixSeconds placed, const TimingSettings& s) {
  const UnixSeconds close = close_time(placed, s);
  const UnixSeconds from =
      std::max(close - k_day * s.sms_days_before_close, placed + k_minute * s.wait_minutes);
  return {next_allowed(from, s.sms_quiet), close};
}

}  // namespace fulfil::reminders
