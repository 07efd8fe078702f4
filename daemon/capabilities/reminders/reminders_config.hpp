#pragma once
#include <string>
#include <vector>

#include "common/toml_reader.hpp"
#include "reminders/settings.hpp"

namespace fulfil::daemon {

// Reads [reminders], [[reminders.shops]] and [reminders.sms]; every figure has the seeds'
// default, times of day are "HH:MM-HH:MM" in Asia/Shanghai.
void parse_reminders(const toml::table* table, const std::string& file,
                     std::vector<std::string>& errors, reminders::ReminderSettings& out);
// The effective [reminders] as TOML (the secret masked).
std::string describe_reminders(const reminders::ReminderSettings& s);

// "09:00-12:00" -> {540, 720}; "21:00-24:00" -> {1260, 1440}.
std::optional<reminders::DayRange> parse_day_range(std::string_view text);
std::string format_day_range(const reminders::DayRange& r);

}  // namespace fulfil::daemon
