#include "identity/api_token_repository.hpp"

#include "store/row_reader.hpp"

#include "common/digest.hpp"
#include "identity/password.hpp"
#include "identity/user_repository.hpp"

namespace fulfil::identity {

namespace {

constexpr std::string_view k_prefix = "fulfil_";

ApiToken token_of(const soci::row& r) {
  ApiToken t;
  t.name = store::get_text(r, 0);
  t.role = static_cast<StaffRole>(store::get_int(r, 1));
  t.created_at = store::get_int(r, 2);
  t.revoked_at = store::get_opt_int(r, 3);
  t.last_used_at = store::get_opt_int(r, 4);
  return t;
}

constexpr const char* k_columns =
    "SELECT name, role, created_at, revoked_at, last_used_at FROM api_tokens";

}  // namespace

Result<IssuedToken> ApiTokenRepository::add(const std::string& name, StaffRole role,
                                            UnixSeconds now) {
  if (auto ok = check_user_name(name); !ok)
    return fail(ErrorKind::invalid_input, "token " + ok.error().message.substr(5));
  IssuedToken issued{std::string(k_prefix) + random_hex(32), {name, role, now, {}, {}}};
  const std::string digest = sha256_hex(issued.token);
  return store::in_transaction(m_conn, [&]() -> Result<IssuedToken> {
    long long taken = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM api_tokens WHERE name = :n", soci::use(name),
        soci::into(taken);
    if (taken) return fail(ErrorKind::conflict, "token " + name + " exists already");
    long long r = static_cast<long long>(role), at = now;
    m_conn.sql() << "INSERT INTO api_tokens (name, role, token_sha256, created_at) "
                    "VALUES (:n, :r, :h, :c)",
        soci::use(name), soci::use(r), soci::use(digest), soci::use(at);
    return issued;
  });
}

Result<void> ApiTokenRepository::revoke(const std::string& name, UnixSeconds now) {
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    long long live = 0, at = now;
    m_conn.sql() << "SELECT COUNT(*) FROM api_tokens WHERE name = :n AND revoked_at IS NULL",
        soci::use(name), soci::into(live);
    if (!live) return fail(ErrorKind::not_found, "no live token " + name);
    m_conn.sql() << "UPDATE api_tokens SET revoked_at = :a WHERE name = :n", soci::use(at),
        soci::use(name);
    return {};
  });
}

Result<std::vector<ApiToken>> ApiTokenRepository::list() {
  return store::guarded([&]() -> Result<std::vector<ApiToken>> {
    std::vector<ApiToken> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_columns) + " ORDER BY name");
    for (const auto& r : rows) out.push_back(token_of(r));
    return out;
  });
}

Result<std::optional<ApiToken>> ApiTokenRepository::authenticate(const std::string& token,
                                                                 UnixSeconds now) {
  if (!token.starts_with(k_prefix)) return std::optional<ApiToken>();
  const std::string digest = sha256_hex(token);
  return store::in_transaction(m_conn, [&]() -> Result<std::optional<ApiToken>> {
    std::optional<ApiToken> found;
    {
      soci::rowset<soci::row> rows =
          (m_conn.sql().prepare << std::string(k_columns) +
                                       " WHERE token_sha256 = :h AND revoked_at IS NULL",
           soci::use(digest));
      for (const auto& r : rows) found = token_of(r);
    }
    if (!found) return found;
    long long at = now;
    m_conn.sql() << "UPDATE api_tokens SET last_used_at = :a WHERE name = :n", soci::use(at),
        soci::use(found->name);
    found->last_used_at = now;
    return found;
  });
}

}  // namespace fulfil::identity
