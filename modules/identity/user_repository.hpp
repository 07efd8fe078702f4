#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "identity/staff_roles.hpp"
#include "store/database.hpp"

namespace fulfil::identity {

// A staff user as lists show them (never the password hash).
struct User {
  std::string name;
  StaffRoles roles = 0;
  bool disabled = false;
  UnixSeconds created_at = 0, updated_at = 0;
};

// A name a person logs in with: 1-64 letters (any script), digits, '.', '-' or '_'; no
// spaces or control characters, so logs and the audit log quote it unambiguously.
Result<void> check_user_name(std::string_view name);

// The staff users (table `users`). Every change is one transaction and ends the user's
// sessions; passwords are hashed (Argon2id) before anything is written.
class UserRepository {
 public:
  explicit UserRepository(store::Connection& c) : m_conn(c) {}
  // A new user; `conflict` when the name is taken (also by a disabled user).
  Result<User> add(const std::string& name, StaffRoles roles, std::string_view password,
                   UnixSeconds now);
  Result<void> set_password(const std::string& name, std::string_view password, UnixSeconds now);
  Result<void> set_roles(const std::string& name, StaffRoles roles, UnixSeconds now);
  Result<void> set_disabled(const std::string& name, bool disabled, UnixSeconds now);
  Result<std::optional<User>> get(const std::string& name);
  Result<std::vector<User>> list();
  // The user when `password` is theirs and they are not disabled; nullopt otherwise (which of
  // the two is not said: the caller tells the person only that the login failed).
  Result<std::optional<User>> check_password(const std::string& name, std::string_view password);

 private:
  // Inside a change's transaction: the user's sessions end (a disabled user, a new password
  // or new roles take effect on the next request, not at the next login).
  void end_sessions(const std::string& name);
  // `not_found` naming the user when `changed` rows is 0.
  Result<void> changed_one(const std::string& name, long long changed);
  store::Connection& m_conn;
};

}  // namespace fulfil::identity
