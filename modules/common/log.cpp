#include "common/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace fulfil::log {
namespace {

std::atomic<bool> g_json{false};

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    // Logs go to stderr so stdout stays free for command output (check-config, sync --once).
    auto l = spdlog::stderr_color_mt("fulfild");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    return l;
  }();
  return instance;
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\\') return true;
  return false;
}

void append_escaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
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
  if (json_lines) logger()->set_pattern("%v");
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
  if (tags.size() == 0) {
    l.log(lvl, "{}", message);
  } else {
    l.log(lvl, "{} {}", message, render_tags(tags));
  }
}

}  // namespace fulfil::log
