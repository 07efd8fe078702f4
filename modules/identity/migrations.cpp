#include "identity/migrations.hpp"

namespace fulfil::identity {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "users, API tokens, the audit log, sessions and failed logins",
     {// roles: the StaffRole bits; a disabled user keeps their name (the audit log and the
      // parcels' history refer to it) but cannot log in.
      R"(CREATE TABLE users (
          name TEXT PRIMARY KEY,
          roles BIGINT NOT NULL,
          password_hash TEXT NOT NULL,
          disabled BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL))",
      // Only the SHA-256 of a token is kept: the token itself is shown once, when made.
      R"(CREATE TABLE api_tokens (
          name TEXT PRIMARY KEY,
          role BIGINT NOT NULL,
          token_sha256 TEXT NOT NULL UNIQUE,
          created_at BIGINT NOT NULL,
          revoked_at BIGINT,
          last_used_at BIGINT))",
      R"(CREATE TABLE audit_log (
          id {id},
          at BIGINT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT NOT NULL,
          detail TEXT NOT NULL,
          address TEXT NOT NULL))",
      "CREATE INDEX audit_log_at ON audit_log (at)",
      "CREATE INDEX audit_log_actor ON audit_log (actor, at)",
      // A login session: only the SHA-256 of its cookie token is kept, so a copy of the
      // database logs nobody in.
      R"(CREATE TABLE sessions (
          token_sha256 TEXT PRIMARY KEY,
          user_name TEXT NOT NULL,
          csrf TEXT NOT NULL,
          address TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          last_seen_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL))",
      "CREATE INDEX sessions_user ON sessions (user_name)",
      // Failed logins per key ("user:NAME", "address:IP"), shared by every daemon of a store.
      R"(CREATE TABLE login_failures (
          throttle_key TEXT PRIMARY KEY,
          failures BIGINT NOT NULL,
          first_at BIGINT NOT NULL,
          blocked_until BIGINT NOT NULL))"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"identity", &k_migrations};
}

}  // namespace fulfil::identity
