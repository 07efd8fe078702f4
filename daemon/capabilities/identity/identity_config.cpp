#include "capabilities/identity/identity_config.hpp"

#include <sstream>

#include "common/toml_reader.hpp"

namespace fulfil::daemon {

void parse_identity(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, identity::LoginSettings& out) {
  if (!table) return;
  TableReader r(*table, "identity", file, errors);
  out.sessions.idle_seconds = 60 * r.integer("session_idle_minutes", 30, 1, 24 * 60);
  out.sessions.absolute_seconds = 3600 * r.integer("session_hours", 12, 1, 7 * 24);
  out.throttle.free_failures = static_cast<int>(r.integer("login_free_failures", 5, 1, 100));
  out.address_free_failures =
      static_cast<int>(r.integer("login_address_free_failures", 20, 1, 10000));
  out.throttle.first_block_seconds = r.integer("login_block_seconds", 30, 1, 3600);
  out.throttle.max_block_seconds = r.integer("login_max_block_seconds", 900, 1, 86400);
  if (out.throttle.max_block_seconds < out.throttle.first_block_seconds)
    r.error_at(r.node("login_max_block_seconds"), "login_max_block_seconds",
               "must be at least login_block_seconds");
  r.finish();
}

std::string describe_identity(const identity::LoginSettings& s) {
  std::ostringstream o;
  o << "\n[identity]\nsession_idle_minutes = " << s.sessions.idle_seconds / 60
    << "\nsession_hours = " << s.sessions.absolute_seconds / 3600
    << "\nlogin_free_failures = " << s.throttle.free_failures
    << "\nlogin_address_free_failures = " << s.address_free_failures
    << "\nlogin_block_seconds = " << s.throttle.first_block_seconds
    << "\nlogin_max_block_seconds = " << s.throttle.max_block_seconds << "\n";
  return o.str();
}

}  // namespace fulfil::daemon
