// Staff users, API tokens and the audit log on both backends, and the user/token commands of
// the real binary (issue 24's identity, before the HTTP logins use it).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>

#include "identity/identity.hpp"
#include "process.hpp"
#include "store_fixture.hpp"

namespace fulfil::identity {
namespace {

using test::StoreTest;

constexpr StaffRoles k_packer = static_cast<StaffRoles>(StaffRole::packer);
constexpr StaffRoles k_admin = static_cast<StaffRoles>(StaffRole::admin);

TEST(Passwords, Argon2idHashesVerifyOnlyTheirPassword) {
  auto hash = hash_password("七个字的中文口令，好记");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(verify_password(*hash, "七个字的中文口令，好记"));
  EXPECT_FALSE(verify_password(*hash, "七个字的中文口令,好记"));
  EXPECT_FALSE(verify_password("not a hash", "anything at all"));
  auto again = hash_password("七个字的中文口令，好记");
  EXPECT_NE(*again, *hash) << "each hash has its own salt";
  auto short_one = hash_password("123456789");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(short_one.error().message.find("at least 10 characters"), std::string::npos);
  EXPECT_EQ(random_hex(32).size(), 64u);
  EXPECT_NE(random_hex(16), random_hex(16));
}

TEST(StaffRolesText, RolesReadAndWriteAsTheirNames) {
  auto roles = parse_roles_text("reviewer, packer");
  ASSERT_TRUE(roles);
  EXPECT_EQ(roles_text(*roles), "packer,reviewer");
  auto unknown = parse_roles_text("packer,boss");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown role \"boss\""), std::string::npos);
  EXPECT_FALSE(parse_roles_text(" , "));
}

class IdentityIt : public StoreTest {};

TEST_P(IdentityIt, AUserLogsInWithTheirPasswordOnlyWhileEnabled) {
  UserRepository users(store->conn());
  auto added = users.add("王芳", k_packer, "correct horse battery", 100);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->roles, k_packer);

  auto ok = users.check_password("王芳", "correct horse battery");
  ASSERT_TRUE(ok);
  ASSERT_TRUE(*ok);
  EXPECT_EQ((*ok)->name, "王芳");
  EXPECT_FALSE(*users.check_password("王芳", "wrong horse battery"));
  EXPECT_FALSE(*users.check_password("nobody", "correct horse battery"));

  ASSERT_TRUE(users.set_disabled("王芳", true, 200));
  EXPECT_FALSE(*users.check_password("王芳", "correct horse battery")) << "disabled";
  ASSERT_TRUE(users.set_disabled("王芳", false, 300));
  ASSERT_TRUE(users.set_password("王芳", "a new passphrase", 400));
  EXPECT_FALSE(*users.check_password("王芳", "correct horse battery"));
  EXPECT_TRUE(*users.check_password("王芳", "a new passphrase"));
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM users WHERE password_hash LIKE '%passphrase%'"), 0)
      << "only the hash is stored";
}

TEST_P(IdentityIt, NamesAreCheckedAndTakenOnlyOnce) {
  UserRepository users(store->conn());
  ASSERT_TRUE(users.add("admin", k_admin, "first admin password", 1));
  auto twice = users.add("admin", k_packer, "another password", 2);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, ErrorKind::conflict);
  EXPECT_EQ(users.get("admin")->value().roles, k_admin) << "the first one is untouched";
  for (const std::string& bad :
       std::vector<std::string>{"", "two words", "semi;colon", std::string(65, 'a')}) {
    auto r = users.add(bad, k_packer, "some password here", 3);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input) << bad;
  }
  EXPECT_FALSE(users.add("nobody_roles", 0, "some password here", 3));
  auto missing = users.set_roles("ghost", k_packer, 4);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().message, "no user ghost");
  ASSERT_TRUE(users.set_roles("admin", k_admin | k_packer, 5));
  auto all = users.list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].roles, k_admin | k_packer);
  EXPECT_EQ((*all)[0].updated_at, 5);
}

TEST_P(IdentityIt, ATokenIsShownOnceKeptAsAHashAndStopsWhenRevoked) {
  ApiTokenRepository tokens(store->conn());
  auto issued = tokens.add("cs-module", StaffRole::customer_service, 10);
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_TRUE(issued->token.starts_with("fulfil_"));
  EXPECT_EQ(issued->token.size(), 7u + 64u);
  EXPECT_EQ(
      store->scalar("SELECT COUNT(*) FROM api_tokens WHERE token_sha256 = '" + issued->token + "'"),
      0);

  auto who = tokens.authenticate(issued->token, 20);
  ASSERT_TRUE(who);
  ASSERT_TRUE(*who);
  EXPECT_EQ((*who)->name, "cs-module");
  EXPECT_EQ((*who)->role, StaffRole::customer_service);
  EXPECT_EQ(tokens.list()->front().last_used_at, 20);
  EXPECT_FALSE(*tokens.authenticate(issued->token + "0", 21));
  EXPECT_FALSE(*tokens.authenticate("Bearer " + issued->token, 21));

  EXPECT_EQ(tokens.add("cs-module", StaffRole::admin, 30).error().kind, ErrorKind::conflict);
  ASSERT_TRUE(tokens.revoke("cs-module", 40));
  EXPECT_FALSE(*tokens.authenticate(issued->token, 41)) << "revoked";
  EXPECT_EQ(tokens.revoke("cs-module", 42).error().kind, ErrorKind::not_found);
  EXPECT_EQ(tokens.list()->front().revoked_at, 40);
}

TEST_P(IdentityIt, TheAuditLogFiltersByActorActionAndTimeNewestFirst) {
  AuditLog log(store->conn());
  ASSERT_TRUE(log.append({0, 100, "admin", "user.add", "王芳", "packer", "127.0.0.1"}));
  ASSERT_TRUE(log.append({0, 200, "王芳", "label.reprint", "label 42", "卡纸 😅", "10.0.0.7"}));
  ASSERT_TRUE(log.append({0, 300, "admin", "user.roles", "王芳", "packer,picker", ""}));
  auto all = log.list({});
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].action, "user.roles");
  EXPECT_EQ((*all)[1].detail, "卡纸 😅");
  EXPECT_EQ(log.list({.actor = "admin"})->size(), 2u);
  EXPECT_EQ(log.list({.action = "label.reprint"})->front().address, "10.0.0.7");
  EXPECT_EQ(log.list({.from = 150, .to = 250})->size(), 1u);
  EXPECT_EQ(log.list({.limit = 1})->size(), 1u);
}

TEST_P(IdentityIt, ASessionEndsWhenIdleAtItsLimitOnLogoutAndWhenItsUserChanges) {
  UserRepository users(store->conn());
  auto ann = users.add("ann", k_packer, "ann's passphrase", 0);
  ASSERT_TRUE(ann);
  SessionRepository sessions(store->conn(), {.idle_seconds = 600, .absolute_seconds = 3600});
  auto opened = sessions.open(*ann, "10.0.0.8", 1000);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->token.size(), 64u);
  EXPECT_EQ(opened->session.csrf.size(), 32u);
  EXPECT_EQ(
      store->scalar("SELECT COUNT(*) FROM sessions WHERE token_sha256 = '" + opened->token + "'"),
      0)
      << "only the token's hash is stored";

  auto live = [&](UnixSeconds at) { return sessions.find(opened->token, at)->has_value(); };
  EXPECT_TRUE(live(1500));
  EXPECT_TRUE(live(2050)) << "1500 restarted the idle time";
  EXPECT_FALSE(live(2700)) << "idle for 650 s";
  EXPECT_FALSE(*sessions.find("not a token", 1000));

  auto second = sessions.open(*ann, "10.0.0.8", 3000);
  ASSERT_TRUE(second);
  for (UnixSeconds t = 3000; t < 6600; t += 500)
    ASSERT_TRUE(sessions.find(second->token, t)->has_value()) << t;
  EXPECT_FALSE(sessions.find(second->token, 6600)->has_value()) << "absolute limit";

  auto third = sessions.open(*ann, "10.0.0.8", 7000);
  auto fourth = sessions.open(*ann, "10.0.0.9", 7000);
  ASSERT_TRUE(sessions.close(third->token));
  EXPECT_FALSE(sessions.find(third->token, 7001)->has_value()) << "logged out";
  EXPECT_EQ((*sessions.find(fourth->token, 7001))->user.roles, k_packer);
  ASSERT_TRUE(users.set_roles("ann", k_admin, 7002));
  EXPECT_FALSE(sessions.find(fourth->token, 7003)->has_value()) << "new roles: log in again";
  auto fifth = sessions.open(users.get("ann")->value(), "10.0.0.9", 7004);
  ASSERT_TRUE(users.set_disabled("ann", true, 7005));
  EXPECT_FALSE(sessions.find(fifth->token, 7006)->has_value()) << "disabled";
}

TEST_P(IdentityIt, AThousandWrongPasswordsAreThrottledBeforeAnyIsHashed) {
  LoginThrottle throttle(store->conn(), {});
  int tried = 0;
  UnixSeconds now = 5000;
  // A client guessing as fast as it can for 10 minutes: one try every 0.6 s.
  for (int i = 0; i < 1000; ++i, now += (i % 5 == 0 ? 3 : 0)) {
    if (*throttle.wait("user:admin", now) > 0) continue;
    ++tried;
    ASSERT_TRUE(throttle.failed("user:admin", now));
  }
  EXPECT_GE(tried, 5);
  EXPECT_LE(tried, 12) << "5 free, then 30 s, 60 s, 120 s, ... waits";
  EXPECT_GT(*throttle.wait("user:admin", now), 0);
  EXPECT_EQ(*throttle.wait("address:10.0.0.8", now), 0) << "keys are counted apart";

  LoginThrottle fresh(store->conn(), {.free_failures = 2, .first_block_seconds = 10});
  EXPECT_EQ(*fresh.failed("user:bob", 100), 0);
  EXPECT_EQ(*fresh.failed("user:bob", 101), 0);
  EXPECT_EQ(*fresh.failed("user:bob", 102), 10);
  EXPECT_EQ(*fresh.failed("user:bob", 112), 20);
  EXPECT_EQ(*fresh.wait("user:bob", 122), 10);
  ASSERT_TRUE(fresh.succeeded("user:bob"));
  EXPECT_EQ(*fresh.wait("user:bob", 122), 0) << "a right password forgets the failures";
  EXPECT_EQ(*fresh.failed("user:bob", 5000), 0);
}

FULFIL_ON_BOTH_BACKENDS(IdentityIt);

// The first admin from the command line: the binary, a password file, the audit log.
TEST(IdentityCli, TheFirstAdminAndATokenFromTheCommandLine) {
  test::TempDir dir;
  const std::string store = "sqlite:" + (dir.path() / "f.db").string();
  const auto password = dir.path() / "pw";
  std::ofstream(password) << "first admin password\n";
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--store", store});
    return test::run_program(FULFILD_BINARY, args, dir.path());
  };
  ::chmod(password.c_str(), 0644);
  auto loose = run({"user", "add", "admin", "--role", "admin", "--password-file", password});
  EXPECT_EQ(loose.status, 2);
  EXPECT_NE(loose.err.find("readable by others"), std::string::npos) << loose.err;
  ::chmod(password.c_str(), 0600);

  auto add =
      run({"user", "add", "admin", "--role", "admin,supervisor", "--password-file", password});
  ASSERT_EQ(add.status, 0) << add.err;
  EXPECT_EQ(add.out, "user admin added: supervisor,admin\n");
  auto again = run({"user", "add", "admin", "--role", "packer", "--password-file", password});
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("user admin exists already"), std::string::npos) << again.err;
  auto bad_role = run({"user", "add", "bob", "--role", "boss", "--password-file", password});
  EXPECT_EQ(bad_role.status, 2);
  EXPECT_NE(bad_role.err.find("unknown role \"boss\""), std::string::npos) << bad_role.err;
  EXPECT_EQ(run({"user", "add", "bob"}).status, 2) << "no --role";

  auto token = run({"token", "add", "cs-module", "--role", "customer_service"});
  ASSERT_EQ(token.status, 0) << token.err;
  EXPECT_TRUE(token.out.starts_with("fulfil_")) << token.out;
  EXPECT_NE(token.err.find("shown this once"), std::string::npos);
  ASSERT_EQ(run({"token", "revoke", "cs-module"}).status, 0);
  EXPECT_NE(run({"token", "list"}).out.find("revoked"), std::string::npos);
  ASSERT_EQ(run({"user", "disable", "admin"}).status, 0);
  auto list = run({"user", "list"});
  EXPECT_NE(list.out.find("disabled"), std::string::npos) << list.out;

  auto conn = store::Connection::open(*store::StoreUrl::parse(store), store::Durability::strict);
  ASSERT_TRUE(conn);
  AuditLog log(**conn);
  auto entries = log.list({.actor = "cli"});
  ASSERT_TRUE(entries);
  std::vector<std::string> actions;
  for (const auto& e : *entries) actions.push_back(e.action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"user.disable", "token.revoke", "token.add", "user.add"}));
}

}  // namespace
}  // namespace fulfil::identity
