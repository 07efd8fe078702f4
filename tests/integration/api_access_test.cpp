// Issue 24: who may call what, generated from the route table itself, so that a route added
// later is held to the same rules without anyone writing a test for it: every route but the
// few public ones refuses a request without a login (401), every state change of a session
// without its CSRF token (403), and every role the table does not name (403). Sessions and
// tokens that have ended are refused; a password guesser is throttled. Real SQLite store,
// the real router and every capability of the list.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <set>

#include "api_fixture.hpp"
#include "identity/identity.hpp"
#include "modules.hpp"

namespace fulfil::daemon::api {
namespace {

namespace json = boost::json;

constexpr std::string_view k_password = "correct horse battery 电池";

std::string code_of(const http::Response& r) {
  auto v = json::parse(r.body);
  return std::string(v.as_object().at("code").as_string());
}

// A path that fits the route's pattern: integer parameters "1", a choice its first value.
std::string path_of(const Route& route) {
  std::string out;
  std::string_view rest = route.pattern;
  while (!rest.empty()) {
    rest.remove_prefix(1);
    const auto slash = rest.find('/');
    std::string seg(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (seg.size() > 2 && seg.front() == '{') {
      const std::string name = seg.substr(1, seg.size() - 2);
      if (route.ids.contains(name))
        seg = "1";
      else if (auto c = route.choices.find(name); c != route.choices.end())
        seg = c->second.front();
      else
        seg = "x";
    }
    out += "/" + seg;
  }
  return out;
}

class ApiAccess : public ::testing::Test {
 protected:
  ApiAccess() {
    auto conn = api.store.local(store::Durability::strict);
    EXPECT_TRUE(conn);
    EXPECT_TRUE(migrate_all(**conn));
    identity::UserRepository users(**conn);
    EXPECT_TRUE(users.add("root", static_cast<identity::StaffRoles>(identity::StaffRole::admin),
                          k_password, api.clock.now()));
    EXPECT_TRUE(users.add("li", static_cast<identity::StaffRoles>(identity::StaffRole::packer),
                          k_password, api.clock.now()));
    identity::ApiTokenRepository tokens(**conn);
    for (auto role : identity::all_staff_roles()) {
      auto issued = tokens.add(std::string(identity::to_string(role)), role, api.clock.now());
      EXPECT_TRUE(issued);
      token_of[role] = issued->token;
    }
  }

  http::Request request(const Route& route) const {
    http::Request r;
    r.method = route.method;
    r.target = r.path = path_of(route);
    r.host = "127.0.0.1:8080";
    r.remote = "127.0.0.1";
    if (route.method == "POST") {
      r.body = "{}";
      r.content_type = route.body_types.front();
    }
    return r;
  }

  struct Session {
    std::string cookie, csrf;
  };
  std::optional<Session> login(const std::string& user, std::string_view password = k_password,
                               int* status = nullptr, std::string remote = "127.0.0.1") {
    http::Request r;
    r.method = "POST";
    r.target = r.path = "/api/v1/session";
    r.content_type = "application/json";
    r.remote = std::move(remote);
    r.body = json::serialize(json::object{{"user", user}, {"password", password}});
    auto answer = api.handle(r);
    if (status) *status = answer.status;
    if (answer.status != 200) return std::nullopt;
    const auto& set_cookie = answer.headers.at("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
    return Session{set_cookie.substr(0, set_cookie.find(';')),
                   std::string(json::parse(answer.body).at("csrf").as_string())};
  }

  std::vector<const Route*> guarded() const {
    std::vector<const Route*> out;
    for (const auto& r : api.router.table().routes())
      if (r.roles != k_public) out.push_back(&r);
    return out;
  }

  test::ApiFixture api;
  std::map<identity::StaffRole, std::string> token_of;
};

TEST_F(ApiAccess, OnlyHealthTheLoginAndTheSignedCallbackArePublic) {
  std::set<std::string> open;
  for (const auto& r : api.router.table().routes())
    if (r.roles == k_public) open.insert(r.operation_id);
  EXPECT_EQ(open, (std::set<std::string>{"getHealth", "getReady", "login", "kuaidi100Callback"}));
  EXPECT_GE(guarded().size(), 45u);
}

TEST_F(ApiAccess, EveryRouteRefusesARequestWithoutALogin) {
  for (const Route* route : guarded()) {
    auto r = request(*route);
    auto answer = api.handle(r);
    EXPECT_EQ(answer.status, 401) << route->method << " " << route->pattern;
    EXPECT_EQ(code_of(answer), "unauthenticated") << route->pattern;
    // Someone else's name in the old header changes nothing.
    r.user = "boss";
    r.cookie = "fulfil_session=" + std::string(64, 'a');
    EXPECT_EQ(api.handle(r).status, 401) << route->pattern << ": a made-up session";
  }
}

TEST_F(ApiAccess, EveryStateChangeOfASessionNeedsItsCsrfToken) {
  auto root = login("root");
  auto li = login("li");
  ASSERT_TRUE(root && li);
  int posts = 0;
  for (const Route* route : guarded()) {
    if (route->method == "GET") continue;
    ++posts;
    auto r = request(*route);
    r.cookie = root->cookie;
    auto none = api.handle(r);
    EXPECT_EQ(none.status, 403) << route->pattern;
    EXPECT_EQ(code_of(none), "csrf") << route->pattern;
    r.csrf = li->csrf;  // a real token, of another session
    EXPECT_EQ(code_of(api.handle(r)), "csrf") << route->pattern;
    r.csrf = root->csrf;
    auto right = api.handle(r);
    EXPECT_NE(right.status, 401) << route->pattern;
    if (right.status == 403) {
      EXPECT_NE(code_of(right), "csrf") << route->pattern;
    }
    if (route->operation_id == "logout") root = login("root");  // it did what it says
  }
  EXPECT_GE(posts, 20);
}

TEST_F(ApiAccess, EveryRoleTheTableDoesNotNameIsRefused) {
  for (const Route* route : guarded()) {
    for (auto role : identity::all_staff_roles()) {
      auto r = request(*route);
      r.authorization = "Bearer " + token_of[role];
      auto answer = api.handle(r);
      const bool named = route->roles & static_cast<Roles>(role);
      const std::string what =
          route->method + " " + route->pattern + " as " + std::string(identity::to_string(role));
      if (!named) {
        EXPECT_EQ(answer.status, 403) << what;
        EXPECT_EQ(code_of(answer), "forbidden") << what;
      } else {
        EXPECT_NE(answer.status, 401) << what;
        if (answer.status == 403) {
          EXPECT_EQ(answer.body.find(" is for "), std::string::npos) << what;
        }
      }
    }
  }
  // The supervisor routes by name: a packer is told who they are for.
  http::Request stock;
  stock.method = "POST";
  stock.target = stock.path = "/api/v1/stock/TX-1/adjust";
  stock.authorization = "Bearer " + token_of[identity::StaffRole::packer];
  EXPECT_NE(api.handle(stock).body.find("is for supervisor or admin; token:packer is packer"),
            std::string::npos);
}

TEST_F(ApiAccess, EndedSessionsAndRevokedTokensAreRefused) {
  auto li = login("li");
  ASSERT_TRUE(li);
  http::Request me;
  me.method = "GET";
  me.target = me.path = "/api/v1/session";
  me.cookie = li->cookie;
  ASSERT_EQ(api.handle(me).status, 200);
  EXPECT_EQ(json::parse(api.handle(me).body).at("user").as_string(), "li");
  // Idle past [identity] session_idle_minutes (30): ended.
  api.clock.advance(31 * 60);
  EXPECT_EQ(api.handle(me).status, 401);
  // Kept busy, it still ends at session_hours (12).
  auto busy = login("li");
  me.cookie = busy->cookie;
  for (int i = 0; i < 12 * 3; ++i) {
    api.clock.advance(20 * 60);
    const int status = api.handle(me).status;
    EXPECT_EQ(status, i < 35 ? 200 : 401) << "after " << (i + 1) * 20 << " minutes";
  }
  // Logged out: the cookie is worth nothing, even with its CSRF token.
  auto again = login("li");
  http::Request out;
  out.method = "POST";
  out.target = out.path = "/api/v1/session/logout";
  out.cookie = again->cookie;
  out.csrf = again->csrf;
  EXPECT_EQ(api.handle(out).status, 200);
  me.cookie = again->cookie;
  EXPECT_EQ(api.handle(me).status, 401);
  // A user disabled (or given new roles) is logged out at once.
  auto root = login("root");
  auto li2 = login("li");
  http::Request disable;
  disable.method = "POST";
  disable.target = disable.path = "/api/v1/users/li";
  disable.content_type = "application/json";
  disable.body = R"({"disabled": true})";
  disable.cookie = root->cookie;
  disable.csrf = root->csrf;
  ASSERT_EQ(api.handle(disable).status, 200);
  me.cookie = li2->cookie;
  EXPECT_EQ(api.handle(me).status, 401);
  int status = 0;
  EXPECT_FALSE(login("li", k_password, &status));
  EXPECT_EQ(status, 401);

  // A revoked token, at once.
  http::Request by_token;
  by_token.method = "GET";
  by_token.target = by_token.path = "/api/v1/parcels";
  by_token.authorization = "Bearer " + token_of[identity::StaffRole::customer_service];
  EXPECT_EQ(api.handle(by_token).status, 200);
  http::Request revoke;
  revoke.method = "POST";
  revoke.target = revoke.path = "/api/v1/tokens/customer_service/revoke";
  revoke.cookie = root->cookie;
  revoke.csrf = root->csrf;
  ASSERT_EQ(api.handle(revoke).status, 200);
  EXPECT_EQ(api.handle(by_token).status, 401);
  by_token.authorization = "Bearer fulfil_" + std::string(64, '0');
  EXPECT_EQ(api.handle(by_token).status, 401);
}

// 1,000 wrong passwords for one user: the first few are checked, then every one is refused
// before its password is hashed; the audit log shows only the checked ones.
TEST_F(ApiAccess, AThousandWrongPasswordsAreThrottled) {
  int refused = 0, wrong = 0;
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    // From many addresses, so the per-address count is not what stops them.
    EXPECT_FALSE(login("root", "not the password " + std::to_string(i), &status,
                       "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250)));
    if (status == 429) ++refused;
    if (status == 401) ++wrong;
  }
  // login_free_failures (5) answered "wrong"; the sixth is checked and starts the wait.
  EXPECT_EQ(wrong, 5);
  EXPECT_EQ(refused, 995);
  // The right password waits too, until the block is over.
  int status = 0;
  EXPECT_FALSE(login("root", k_password, &status));
  EXPECT_EQ(status, 429);
  api.clock.advance(16 * 60);
  EXPECT_TRUE(login("root"));

  auto conn = api.store.local(store::Durability::strict);
  identity::AuditLog audit(**conn);
  identity::AuditFilter failed;
  failed.action = "login.failed";
  EXPECT_EQ(audit.list(failed)->size(), 6u) << "six passwords hashed of 1,000";

  // One address guessing at many names is stopped by the address's count.
  int from_one = 0;
  for (int i = 0; i < 100; ++i) {
    int s = 0;
    login("nobody" + std::to_string(i), "guess", &s, "192.0.2.7");
    if (s == 401) ++from_one;
  }
  EXPECT_EQ(from_one, 20) << "login_address_free_failures";
}

}  // namespace
}  // namespace fulfil::daemon::api
