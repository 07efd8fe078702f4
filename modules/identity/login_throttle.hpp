#pragma once
#include <string>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::identity {

// How many wrong passwords a key may give before it must wait, and how long.
struct ThrottleRules {
  int free_failures = 5;                  // within window_seconds
  std::int64_t window_seconds = 15 * 60;  // a quiet window forgets the failures
  std::int64_t first_block_seconds = 30;  // after the free ones; doubles with each further one
  std::int64_t max_block_seconds = 15 * 60;
};

// Login throttling per key ("user:NAME" and "address:IP", both checked), in the store so every
// daemon of a cluster counts the same failures. A blocked key is refused before its password
// is hashed, so a guessing client costs no Argon2 work.
class LoginThrottle {
 public:
  LoginThrottle(store::Connection& c, ThrottleRules rules) : m_conn(c), m_rules(rules) {}
  // Seconds `key` must still wait; 0 when it may try now.
  Result<std::int64_t> wait(const std::string& key, UnixSeconds now);
  // Counts a wrong password; returns the seconds the key must now wait.
  Result<std::int64_t> failed(const std::string& key, UnixSeconds now);
  // A right password forgets the key's failures.
  Result<void> succeeded(const std::string& key);

 private:
  store::Connection& m_conn;
  ThrottleRules m_rules;
};

}  // namespace fulfil::identity
