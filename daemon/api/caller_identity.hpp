#pragma once
#include <functional>
#include <optional>
#include <string>

#include "api/route_table.hpp"
#include "common/clock.hpp"
#include "identity/session_repository.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The name of the session cookie.
inline constexpr std::string_view k_session_cookie = "fulfil_session";

// The value of cookie `name` in a Cookie header ("a=1; fulfil_session=abc"); empty if none.
std::string cookie_value(std::string_view header, std::string_view name);

// Who sent a request, from the store every daemon of a cluster shares: the session of its
// fulfil_session cookie, or the API token of its "Authorization: Bearer" header (a request
// carrying both is the token's). And what the audit log keeps of the calls they make.
class CallerIdentity {
 public:
  using Limits = std::function<identity::SessionLimits()>;
  CallerIdentity(StoreAccess& store, const Clock& clock, Limits limits)
      : m_store(store), m_clock(clock), m_limits(std::move(limits)) {}
  Result<std::optional<Caller>> identify(const http::Request& req);
  // Writes a call to the audit log when its route says so or a token made it; a write that
  // fails is logged, not answered (the call itself has happened).
  void answered(const Route& route, const http::Request& req, const http::Response& answer);

 private:
  StoreAccess& m_store;
  const Clock& m_clock;
  Limits m_limits;
};

}  // namespace fulfil::daemon::api
