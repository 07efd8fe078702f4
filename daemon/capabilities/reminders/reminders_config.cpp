#include "capabilities/reminders/reminders_config.hpp"

#include <cstdio>
#include <sstream>

namespace fulfil::daemon {

namespace {

std::optional<int> parse_minute(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string hhmm(int minute) {
  char out[16];  // room for any int the compiler cannot rule out
  std::snprintf(out, sizeof out, "%02d:%02d", minute / 60, minute % 60);
  return out;
}

std::vector<reminders::DayRange> ranges(TableReader& r, std::string_view key,
                                        std::vector<reminders::DayRange> dflt) {
  std::vector<std::string> fallback;
  for (const auto& d : dflt) fallback.push_back(format_day_range(d));
  std::vector<reminders::DayRange> out;
  for (const auto& text : r.strings(key, fallback)) {
    auto range = parse_day_range(text);
    if (!range || range->first >= range->second) {
      r.error_at(r.node(key), key, "\"" + text + "\" is not a time range like \"11:30-14:00\"");
      return dflt;
    }
    out.push_back(*range);
  }
  return out;
}

// "06:00-12:00 => 09:00-12:00": placed in the first range, reminded in the second.
std::vector<reminders::TimingRow> table_rows(TableReader& r,
                                             const std::vector<reminders::TimingRow>& dflt) {
  std::vector<std::string> fallback;
  for (const auto& row : dflt)
    fallback.push_back(format_day_range(row.placed) + " => " + format_day_range(row.remind));
  std::vector<reminders::TimingRow> out;
  for (const auto& text : r.strings("silent_table", fallback)) {
    const auto arrow = text.find(" => ");
    std::optional<reminders::DayRange> placed, remind;
    if (arrow != std::string::npos) {
      placed = parse_day_range(text.substr(0, arrow));
      remind = parse_day_range(text.substr(arrow + 4));
    }
    if (!placed || !remind || remind->first >= remind->second) {
      r.error_at(r.node("silent_table"), "silent_table",
                 "\"" + text + "\" is not a row like \"06:00-12:00 => 09:00-12:00\"");
      return dflt;
    }
    out.push_back({*placed, *remind});
  }
  return out;
}

}  // namespace

std::optional<reminders::DayRange> parse_day_range(std::string_view text) {
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  auto from = parse_minute(text.substr(0, 5)), to = parse_minute(text.substr(6, 5));
  if (!from || !to || *from == 1440) return std::nullopt;
  return reminders::DayRange{*from, *to};
}

std::string format_day_range(const reminders::DayRange& r) {
  return hhmm(r.first) + "-" + hhmm(r.second);
}

void parse_reminders(const toml::table* table, const std::string& file,
                     std::vector<std::string>& errors, reminders::ReminderSettings& out) {
  if (!table) return;
  TableReader r(*table, "reminders", file, errors);
  out.enabled = r.boolean("enabled", out.enabled);
  out.interval_seconds = static_cast<int>(r.integer("interval_seconds", 60, 5, 3600));
  out.big_order = r.integer("big_order_fen", out.big_order, 0, 100'000'000);
  out.phone_from = r.integer("phone_from_fen", out.phone_from, 0, 100'000'000);
  out.phone_tries = static_cast<int>(r.integer("phone_tries", out.phone_tries, 0, 5));
  out.retry_after_minutes =
      static_cast<int>(r.integer("retry_after_minutes", out.retry_after_minutes, 10, 1440));
  out.attribution_hours =
      static_cast<int>(r.integer("attribution_hours", out.attribution_hours, 1, 720));
  out.phone_cost = r.integer("phone_cost_fen", out.phone_cost, 0, 100'000);
  out.im_cost = r.integer("im_cost_fen", out.im_cost, 0, 100'000);
  out.write_back = r.boolean("write_back", out.write_back);
  out.flag_reminded = static_cast<int>(r.integer("flag_reminded", out.flag_reminded, 0, 5));
  out.flag_do_not_remind =
      static_cast<int>(r.integer("flag_do_not_remind", out.flag_do_not_remind, 0, 5));
  out.discount_percent =
      static_cast<int>(r.integer("discount_percent", out.discount_percent, 0, 90));
  out.give_up_unanswered =
      static_cast<int>(r.integer("give_up_unanswered", out.give_up_unanswered, 1, 10));
  out.phone_script = r.text("phone_script", out.phone_script);
  auto& e = out.eligibility;
  e.quiet_days = static_cast<int>(r.integer("quiet_days", e.quiet_days, 0, 30));
  e.cap = static_cast<int>(r.integer("cap", e.cap, 1, 20));
  e.cap_days = static_cast<int>(r.integer("cap_days", e.cap_days, 1, 30));
  auto& t = out.timing;
  t.wait_minutes = static_cast<int>(r.integer("wait_minutes", t.wait_minutes, 0, 720));
  t.im_after_minutes = static_cast<int>(r.integer("im_after_minutes", t.im_after_minutes, 0, 720));
  t.close_after_hours =
      static_cast<int>(r.integer("close_after_hours", t.close_after_hours, 1, 24 * 30));
  t.sms_days_before_close =
      static_cast<int>(r.integer("sms_days_before_close", t.sms_days_before_close, 1, 30));
  t.phone_quiet = ranges(r, "phone_quiet", t.phone_quiet);
  t.sms_quiet = ranges(r, "sms_quiet", t.sms_quiet);
  t.table = table_rows(r, t.table);
  if (const auto* shops = r.array("shops")) {
    std::size_t i = 0;
    for (const auto& node : *shops) {
      const auto* st = node.as_table();
      const std::string path = "reminders.shops[" + std::to_string(i++) + "]";
      if (!st) {
        errors.push_back(file + ":" + std::to_string(node.source().begin.line) + ": " + path +
                         ": expected a table");
        continue;
      }
      TableReader sr(*st, path, file, errors);
      const auto name = sr.required_text("name", "the shop this applies to");
      if (sr.node("close_after_hours"))
        out.close_after_hours[name] =
            static_cast<int>(sr.integer("close_after_hours", 72, 1, 24 * 30));
      if (sr.boolean("cross_border", false)) out.cross_border.insert(name);
      sr.finish();
    }
  }
  if (const auto* sms = r.table("sms")) {
    TableReader sr(*sms, "reminders.sms", file, errors);
    auto& s = out.sms;
    s.enabled = sr.boolean("enabled", s.enabled);
    s.url = sr.url("url", s.url);
    if (sr.node("access_key_secret")) {
      sr.error_at(sr.node("access_key_secret"), "access_key_secret",
                  "secrets do not belong in the config: use the secrets file [sms] or "
                  "FULFILD_SMS_ACCESS_KEY_SECRET");
      (void)sr.text("access_key_secret", "");
    }
    s.access_key_id = s.enabled ? sr.required_text("access_key_id", "required when enabled")
                                : sr.text("access_key_id", "");
    s.sign_name = s.enabled ? sr.required_text("sign_name", "required when enabled (【…】)")
                            : sr.text("sign_name", "");
    s.template_code = s.enabled ? sr.required_text("template_code", "required when enabled")
                                : sr.text("template_code", "");
    s.template_name = sr.text("template", s.template_name);
    s.cost_per_part = sr.integer("cost_per_part_fen", s.cost_per_part, 0, 10'000);
    s.batch = static_cast<int>(sr.integer("batch", s.batch, 1, 10'000));
    sr.finish();
  }
  r.finish();
}

std::string describe_reminders(const reminders::ReminderSettings& s) {
  std::ostringstream o;
  auto list = [](const std::vector<reminders::DayRange>& v) {
    std::string out = "[";
    for (const auto& r : v) out += (out.size() > 1 ? ", \"" : "\"") + format_day_range(r) + "\"";
    return out + "]";
  };
  std::string table = "[";
  for (const auto& row : s.timing.table)
    table += (table.size() > 1 ? ", \"" : "\"") + format_day_range(row.placed) + " => " +
             format_day_range(row.remind) + "\"";
  table += "]";
  o << "\n[reminders]\nenabled = " << (s.enabled ? "true" : "false")
    << "\ninterval_seconds = " << s.interval_seconds << "\nbig_order_fen = " << s.big_order
    << "\nphone_from_fen = " << s.phone_from << "\nphone_tries = " << s.phone_tries
    << "\nretry_after_minutes = " << s.retry_after_minutes
    << "\nattribution_hours = " << s.attribution_hours << "\nphone_cost_fen = " << s.phone_cost
    << "\nim_cost_fen = " << s.im_cost << "\nwrite_back = " << (s.write_back ? "true" : "false")
    << "\nflag_reminded = " << s.flag_reminded << "\nflag_do_not_remind = " << s.flag_do_not_remind
    << "\ndiscount_percent = " << s.discount_percent
    << "\ngive_up_unanswered = " << s.give_up_unanswered
    << "\nphone_script = " << toml_quoted(s.phone_script)
    << "\nquiet_days = " << s.eligibility.quiet_days << "\ncap = " << s.eligibility.cap
    << "\ncap_days = " << s.eligibility.cap_days << "\nwait_minutes = " << s.timing.wait_minutes
    << "\nim_after_minutes = " << s.timing.im_after_minutes
    << "\nclose_after_hours = " << s.timing.close_after_hours
    << "\nsms_days_before_close = " << s.timing.sms_days_before_close
    << "\nphone_quiet = " << list(s.timing.phone_quiet)
    << "\nsms_quiet = " << list(s.timing.sms_quiet) << "\nsilent_table = " << table << "\n";
  for (const auto& [shop, hours] : s.close_after_hours)
    o << "\n[[reminders.shops]]\nname = " << toml_quoted(shop) << "\nclose_after_hours = " << hours
      << "\ncross_border = " << (s.cross_border.contains(shop) ? "true" : "false") << "\n";
  for (const auto& shop : s.cross_border)
    if (!s.close_after_hours.contains(shop))
      o << "\n[[reminders.shops]]\nname = " << toml_quoted(shop) << "\ncross_border = true\n";
  o << "\n[reminders.sms]\nenabled = " << (s.sms.enabled ? "true" : "false")
    << "\nurl = " << toml_quoted(s.sms.url)
    << "\naccess_key_id = " << toml_quoted(s.sms.access_key_id)
    << "\n# access_key_secret = " << toml_quoted(s.sms.access_key_secret.empty() ? "" : "***")
    << "\nsign_name = " << toml_quoted(s.sms.sign_name)
    << "\ntemplate_code = " << toml_quoted(s.sms.template_code)
    << "\ntemplate = " << toml_quoted(s.sms.template_name)
    << "\ncost_per_part_fen = " << s.sms.cost_per_part << "\nbatch = " << s.sms.batch << "\n";
  return o.str();
}

}  // namespace fulfil::daemon
