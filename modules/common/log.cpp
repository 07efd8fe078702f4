#include "common/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include <atomic>

namespace fulfil::log {
namespace {

std::atomic<bool> g_json{false};

// The line's time in Asia/Shanghai (UTC+8, no daylight saving), as the config and the API
// speak it, whatever the machine's zone: 2026-11-11T00:00:01.234+08:00.
class ShanghaiTime : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto since = msg.time.time_since_epoch();
    const auto ms = duration_cast<milliseconds>(since).count() % 1000;
    const std::time_t local = duration_cast<seconds>(since).count() + 8 * 3600;
    std::tm t{};
    gmtime_r(&local, &t);
    char text[40];
    const int n = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00",
                                t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
                                t.tm_sec, static_cast<int>(ms));
    dest.append(text, text + n);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<ShanghaiTime>();
  }
};

void use_pattern(spdlog::logger& l, const std::string& pattern) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<ShanghaiTime>('*').set_pattern(pattern);
  l.set_formatter(std::move(f));
}

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    // Logs go to stderr so stdout stays free for command output (check-config, sync --once).
    auto l = spdlog::stderr_color_mt("fulfild");
    use_pattern(*l, "%* %^%l%$ %v");
    return l;
  }();
  return instance;
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
        c == 0x7F)
      return true;
  return false;
}

// Quotes and backslashes escaped; control characters (a NUL from a request, a CR from a
// CSV, an escape sequence) never reach the terminal or the log file raw. \u00NN keeps JSON
// lines valid JSON.
void append_escaped(std::string& out, std::string_view v, bool quotes = true) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (quotes && (c == '"' || c == '\\')) {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\u00";
      out.push_back(k_hex[u >> 4]);
      out.push_back(k_hex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

bool configure(std::string_view level, bool json_lines) {
  spdlog::level::level_enum lvl;
  if (level == "debug")
    lvl = spdlog::level::debug;
  else if (level == "info")
    lvl = spdlog::level::info;
  else if (level == "warn")
    lvl = spdlog::level::warn;
  else if (level == "error")
    lvl = spdlog::level::err;
  else
    return false;
  logger()->set_level(lvl);
  g_json = json_lines;
  use_pattern(*logger(), json_lines ? "%v" : "%* %^%l%$ %v");
  return true;
}

std::string render_tags(Tags tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out.push_back(' ');
    out.append(t.key);
    out.push_back('=');
    if (needs_quotes(t.value)) {
      out.push_back('"');
      append_escaped(out, t.value);
      out.push_back('"');
    } else {
      out.append(t.value);
    }
  }
  return out;
}

void write(Level level, std::string_view message, Tags tags) {
  auto lvl = level == Level::debug  ? spdlog::level::debug
             : level == Level::info ? spdlog::level::info
             : level == Level::warn ? spdlog::level::warn
                                    : spdlog::level::err;
  auto& l = *logger();
  if (!l.should_log(lvl)) return;
  if (g_json) {
    std::string line = "{\"level\":\"";
    line += spdlog::level::to_string_view(lvl).data();
    line += "\",\"msg\":\"";
    append_escaped(line, message);
    line += "\"";
    for (const auto& t : tags) {
      line += ",\"";
      line.append(t.key);
      line += "\":\"";
      append_escaped(line, t.value);
      line += "\"";
    }
    line += "}";
    l.log(lvl, "{}", line);
    return;
  }
  std::string text;
  append_escaped(text, message, false);
  if (tags.size() == 0) {
    l.log(lvl, "{}", text);
  } else {
    l.log(lvl, "{} {}", text, render_tags(tags));
  }
}

}  // namespace fulfil::log
