#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "identity/staff_roles.hpp"
#include "store/database.hpp"

namespace fulfil::identity {

// An API token as lists show it (never the token).
struct ApiToken {
  std::string name;
  StaffRole role = StaffRole::packer;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> revoked_at, last_used_at;
};

// A new token: the text to give the client, shown once, and its record.
struct IssuedToken {
  std::string token;  // "fulfil_" + 64 hex digits
  ApiToken record;
};

// API tokens for machine clients (scripts, the customer-service module), table
// `api_tokens`: each with one role, kept only as the SHA-256 of the token, revocable.
class ApiTokenRepository {
 public:
  explicit ApiTokenRepository(store::Connection& c) : m_conn(c) {}
  // A new token named `name` (the same rules as a user name); `conflict` when the name is
  // taken, revoked ones included (a name in the audit log means one client).
  Result<IssuedToken> add(const std::string& name, StaffRole role, UnixSeconds now);
  Result<void> revoke(const std::string& name, UnixSeconds now);
  Result<std::vector<ApiToken>> list();
  // The token's record when `token` is a live one (its use recorded); nullopt when unknown
  // or revoked.
  Result<std::optional<ApiToken>> authenticate(const std::string& token, UnixSeconds now);

 private:
  store::Connection& m_conn;
};

}  // namespace fulfil::identity
