#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/error.hpp"

namespace fulfil {

// China Standard Time has no daylight saving: always UTC+8.
constexpr std::int64_t k_shanghai_offset = 8 * 3600;

// Days since 1970-01-01 for a proleptic Gregorian date.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

// A calendar date and time of day, no zone attached.
struct CivilTime {
  int year;
  unsigned month, day, hour, minute, second;
};
CivilTime civil_from_unix(UnixSeconds t);

// Parses the platform's "yyyy-MM-dd HH:mm:ss" (GMT+8) into UTC seconds. Rejects other
// shapes, impossible dates and years outside 2000-2099.
Result<UnixSeconds> parse_gmt8(std::string_view text);

// Formats UTC seconds as the platform's "yyyy-MM-dd HH:mm:ss" in GMT+8.
std::string format_gmt8(UnixSeconds t);

// ISO 8601 in Asia/Shanghai ("2026-11-11T00:00:05+08:00"), how times are shown to people.
std::string format_iso_shanghai(UnixSeconds t);

// Parses ISO 8601 with an explicit offset or Z ("2026-11-11T00:00:05+08:00"), or a plain
// "yyyy-MM-dd HH:mm:ss" / "yyyy-MM-dd HH:mm" / "yyyy-MM-dd" read as Asia/Shanghai.
Result<UnixSeconds> parse_iso(std::string_view text);

// The Shanghai calendar day of a moment, as yymmdd (261111 for 2026-11-11).
int shanghai_yymmdd(UnixSeconds t);

}  // namespace fulfil
