#include "identity/user_repository.hpp"

#include "store/row_reader.hpp"

#include "common/utf8.hpp"
#include "identity/password.hpp"

namespace fulfil::identity {

namespace {

constexpr const char* k_columns = "SELECT name, roles, disabled, created_at, updated_at FROM users";

User user_of(const soci::row& r) {
  return {store::get_text(r, 0), static_cast<StaffRoles>(store::get_int(r, 1)),
          store::get_int(r, 2) != 0, store::get_int(r, 3), store::get_int(r, 4)};
}

}  // namespace

Result<void> check_user_name(std::string_view name) {
  for (unsigned char c : name) {
    const bool ascii_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (c < 0x80 && !ascii_ok)
      return fail(ErrorKind::invalid_input,
                  "user name: only letters, digits, '.', '-' and '_' (no spaces)");
  }
  if (const auto characters = code_points(name).size(); characters == 0 || characters > 64)
    return fail(ErrorKind::invalid_input, "user name: 1 to 64 characters");
  return {};
}

Result<User> UserRepository::add(const std::string& name, StaffRoles roles,
                                 std::string_view password, UnixSeconds now) {
  if (auto ok = check_user_name(name); !ok) return std::unexpected(ok.error());
  if (roles == 0) return fail(ErrorKind::invalid_input, "user " + name + ": no role given");
  auto hash = hash_password(password);
  if (!hash) return std::unexpected(hash.error());
  return store::in_transaction(m_conn, [&]() -> Result<User> {
    long long taken = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM users WHERE name = :n", soci::use(name),
        soci::into(taken);
    if (taken) return fail(ErrorKind::conflict, "user " + name + " exists already");
    long long r = roles, at = now, off = 0;
    m_conn.sql() << "INSERT INTO users (name, roles, password_hash, disabled, created_at, "
                    "updated_at) VALUES (:n, :r, :h, :d, :c, :u)",
        soci::use(name), soci::use(r), soci::use(*hash), soci::use(off), soci::use(at),
        soci::use(at);
    return User{name, roles, false, now, now};
  });
}

void UserRepository::end_sessions(const std::string& name) {
  m_conn.sql() << "DELETE FROM sessions WHERE user_name = :n", soci::use(name);
}

Result<void> UserRepository::changed_one(const std::string& name, long long changed) {
  if (changed == 0) return fail(ErrorKind::not_found, "no user " + name);
  return {};
}

Result<void> UserRepository::set_password(const std::string& name, std::string_view password,
                                          UnixSeconds now) {
  auto hash = hash_password(password);
  if (!hash) return std::unexpected(hash.error());
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long at = now;
    soci::statement st = (m_conn.sql().prepare << "UPDATE users SET password_hash = :h, "
                                                  "updated_at = :u WHERE name = :n",
                          soci::use(*hash), soci::use(at), soci::use(name));
    st.execute(true);
    end_sessions(name);
    return changed_one(name, st.get_affected_rows());
  });
}

Result<void> UserRepository::set_roles(const std::string& name, StaffRoles roles, UnixSeconds now) {
  if (roles == 0) return fail(ErrorKind::invalid_input, "user " + name + ": no role given");
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long r = roles, at = now;
    soci::statement st =
        (m_conn.sql().prepare << "UPDATE users SET roles = :r, updated_at = :u WHERE name = :n",
         soci::use(r), soci::use(at), soci::use(name));
    st.execute(true);
    end_sessions(name);
    return changed_one(name, st.get_affected_rows());
  });
}

Result<void> UserRepository::set_disabled(const std::string& name, bool disabled, UnixSeconds now) {
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long d = disabled, at = now;
    soci::statement st =
        (m_conn.sql().prepare << "UPDATE users SET disabled = :d, updated_at = :u WHERE name = :n",
         soci::use(d), soci::use(at), soci::use(name));
    st.execute(true);
    end_sessions(name);
    return changed_one(name, st.get_affected_rows());
  });
}

Result<std::optional<User>> UserRepository::get(const std::string& name) {
  return store::guarded([&]() -> Result<std::optional<User>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_columns) + " WHERE name = :n", soci::use(name));
    for (const auto& r : rows) return std::optional<User>(user_of(r));
    return std::optional<User>();
  });
}

Result<std::vector<User>> UserRepository::list() {
  return store::guarded([&]() -> Result<std::vector<User>> {
    std::vector<User> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_columns) + " ORDER BY name");
    for (const auto& r : rows) out.push_back(user_of(r));
    return out;
  });
}

Result<std::optional<User>> UserRepository::check_password(const std::string& name,
                                                           std::string_view password) {
  auto row = store::guarded([&]() -> Result<std::optional<std::pair<User, std::string>>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT name, roles, disabled, created_at, updated_at, "
                                 "password_hash FROM users WHERE name = :n",
         soci::use(name));
    for (const auto& r : rows)
      return std::optional<std::pair<User, std::string>>({user_of(r), store::get_text(r, 5)});
    return std::optional<std::pair<User, std::string>>();
  });
  if (!row) return std::unexpected(row.error());
  if (!*row || (*row)->first.disabled || !verify_password((*row)->second, password))
    return std::optional<User>();
  return std::optional<User>((*row)->first);
}

}  // namespace fulfil::identity
