#include "common/timeutil.hpp"

#include <cstdio>

namespace fulfil {

// Howard Hinnant's civil-date algorithms (public domain), exact for every Gregorian date.
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilTime civil_from_unix(UnixSeconds t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t secs = t - days * 86400;
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(yoe + era * 400) + (m <= 2);
  return {y,
          m,
          d,
          static_cast<unsigned>(secs / 3600),
          static_cast<unsigned>(secs % 3600 / 60),
          static_cast<unsigned>(secs % 60)};
}

namespace {

bool read_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : k_days[m - 1];
}

// Reads "yyyy-MM-dd" then optionally a separator (' ' or 'T') and "HH:mm:ss".
// Returns the local seconds (not yet shifted by a zone) and how many bytes were read.
Result<std::pair<std::int64_t, std::size_t>> parse_local(std::string_view s, bool time_required) {
  auto bad = [&](std::string_view why) {
    return fail(ErrorKind::invalid_input,
                "time \"" + std::string(s.substr(0, 40)) + "\": " + std::string(why));
  };
  unsigned y, mo, d, h = 0, mi = 0, se = 0;
  if (!read_digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
      s[7] != '-' || !read_digits(s, 8, 2, d))
    return bad("expected yyyy-MM-dd HH:mm:ss");
  std::size_t used = 10;
  if (!time_required && s.size() >= 16 && (s[10] == ' ' || s[10] == 'T') &&
      (s.size() == 16 || s[16] != ':')) {
    // "yyyy-MM-dd HH:mm": people write times without seconds (API queries, config).
    if (!read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi))
      return bad("expected yyyy-MM-dd HH:mm:ss");
    used = 16;
  } else if (s.size() > 10 && (s[10] == ' ' || s[10] == 'T')) {
    if (s.size() < 19 || !read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi) ||
        s[16] != ':' || !read_digits(s, 17, 2, se))
      return bad("expected yyyy-MM-dd HH:mm:ss");
    used = 19;
  } else if (time_required) {
    return bad("expected yyyy-MM-dd HH:mm:ss");
  }
  if (y < 2000 || y > 2099) return bad("year out of range 2000-2099");
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(static_cast<int>(y), mo))
    return bad("no such date");
  if (h > 23 || mi > 59 || se > 59) return bad("no such time of day");
  std::int64_t local =
      days_from_civil(static_cast<int>(y), mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return std::pair{local, used};
}

std::string format_local(UnixSeconds local, char sep) {
  auto c = civil_from_unix(local);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02u:%02u:%02u", c.year, c.month, c.day, sep,
                c.hour, c.minute, c.second);
  return buf;
}

}  // namespace

Result<UnixSeconds> parse_gmt8(std::string_view text) {
  auto local = parse_local(text, true);
  if (!local) return std::unexpected(local.error());
  if (local->second != text.size())
    return fail(ErrorKind::invalid_input,
                "time \"" + std::string(text.substr(0, 40)) + "\": trailing characters");
  return local->first - k_shanghai_offset;
}

std::string format_gmt8(UnixSeconds t) {
  return format_local(t + k_shanghai_offset, ' ');
}

std::string format_iso_shanghai(UnixSeconds t) {
  return format_local(t + k_shanghai_offset, 'T') + "+08:00";
}

Result<UnixSeconds> parse_iso(std::string_view text) {
  auto local = parse_local(text, false);
  if (!local) return std::unexpected(local.error());
  auto rest = text.substr(local->second);
  // Fractions of a second (JavaScript's toISOString writes .123Z) are allowed and dropped:
  // the store keeps whole seconds.
  if (rest.starts_with('.')) {
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1 || n > 10)
      return fail(ErrorKind::invalid_input,
                  "time \"" + std::string(text.substr(0, 40)) + "\": bad fraction of a second");
    rest.remove_prefix(n);
  }
  if (rest.empty()) return local->first - k_shanghai_offset;
  if (rest == "Z") return local->first;
  unsigned oh, om;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && read_digits(rest, 1, 2, oh) &&
      rest[3] == ':' && read_digits(rest, 4, 2, om) && oh <= 14 && om <= 59) {
    std::int64_t offset =
        static_cast<std::int64_t>(oh * 3600 + om * 60) * (rest[0] == '+' ? 1 : -1);
    return local->first - offset;
  }
  return fail(ErrorKind::invalid_input,
              "time \"" + std::string(text.substr(0, 40)) + "\": bad zone offset");
}

int shanghai_yymmdd(UnixSeconds t) {
  auto c = civil_from_unix(t + k_shanghai_offset);
  return (c.year % 100) * 10000 + static_cast<int>(c.month) * 100 + static_cast<int>(c.day);
}

}  // namespace fulfil
