#pragma once
#include "identity/login_throttle.hpp"
#include "identity/session_repository.hpp"

namespace fulfil::identity {

// How logins behave ([identity]): how long a session lasts, how wrong passwords are throttled.
struct LoginSettings {
  SessionLimits sessions;
  ThrottleRules throttle;  // per user name
  // Per client address: more failures are free, since one office's staff share an address
  // and one blocked packer must not lock out the whole shift.
  int address_free_failures = 20;
  ThrottleRules address_throttle() const {
    ThrottleRules r = throttle;
    r.free_failures = address_free_failures;
    return r;
  }
};

}  // namespace fulfil::identity
