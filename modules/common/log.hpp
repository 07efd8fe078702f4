#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace fulfil::log {

// One key/value tag on a log line (shop=demo tid=4000000000000000001).
struct Tag {
  Tag(std::string_view k, std::string_view v) : key(k), value(v) {}
  Tag(std::string_view k, const char* v) : key(k), value(v) {}
  Tag(std::string_view k, const std::string& v) : key(k), value(v) {}
  Tag(std::string_view k, std::int64_t v) : key(k), value(std::to_string(v)) {}
  Tag(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  Tag(std::string_view k, std::uint64_t v) : key(k), value(std::to_string(v)) {}
  Tag(std::string_view k, double v) : key(k), value(std::to_string(v)) {}
  std::string_view key;
  std::string value;
};
using Tags = std::initializer_list<Tag>;

enum class Level { debug, info, warn, error };

// Sets up the process logger: level by name ("debug", "info", "warn", "error") and an
// optional JSON-lines format for log shippers. Returns false on an unknown level name.
bool configure(std::string_view level, bool json_lines = false);

// Writes one line: the message and its tags as key=value (values quoted when needed).
void write(Level level, std::string_view message, Tags tags = {});

inline void debug(std::string_view m, Tags t = {}) {
  write(Level::debug, m, t);
}
inline void info(std::string_view m, Tags t = {}) {
  write(Level::info, m, t);
}
inline void warn(std::string_view m, Tags t = {}) {
  write(Level::warn, m, t);
}
inline void error(std::string_view m, Tags t = {}) {
  write(Level::error, m, t);
}

// Renders tags the way log lines show them; exposed for tests.
std::string render_tags(Tags tags);

}  // namespace fulfil::log
