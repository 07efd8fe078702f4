// The route table: one match per request, path parameters parsed once, 404 / 405 + Allow,
// the caller, their CSRF token and roles checked before the handler runs.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/route_table.hpp"

namespace fulfil::daemon::api {
namespace {

// A request by `user`'s API token ("" for nobody).
http::Request request(std::string method, std::string target, std::string user = "") {
  http::Request r;
  r.method = std::move(method);
  r.target = target;
  r.path = target.substr(0, target.find('?'));
  if (!user.empty()) r.authorization = "Bearer " + user;
  return r;
}

// A request of `user`'s browser session (cookie "s=NAME"), echoing `csrf`.
http::Request in_session(std::string method, std::string target, std::string user,
                         std::string csrf) {
  auto r = request(std::move(method), std::move(target));
  r.cookie = "s=" + user;
  r.csrf = std::move(csrf);
  return r;
}

std::string message_of(const http::Response& r) {
  return std::string(boost::json::parse(r.body).at("message").as_string());
}

class RouteTableTest : public ::testing::Test {
 protected:
  RouteTableTest()
      : table({[](const http::Request& req) -> Result<std::optional<Caller>> {
                 const bool token = req.authorization.starts_with("Bearer ");
                 const std::string who = token ? req.authorization.substr(7)
                                         : req.cookie.starts_with("s=") ? req.cookie.substr(2)
                                                                        : "";
                 Roles roles = 0;
                 if (who == "boss") roles = static_cast<Roles>(StaffRole::supervisor);
                 if (who == "alice") roles = static_cast<Roles>(StaffRole::reviewer);
                 if (who == "mallory") roles = static_cast<Roles>(StaffRole::packer);
                 if (who == "down") return fail(ErrorKind::storage, "the store is down");
                 if (!roles) return std::optional<Caller>();
                 return Caller{token ? "token:" + who : who, roles, token, "csrf-of-" + who};
               },
               [this](const Route& r, const http::Request& req, const http::Response&) {
                 answered.push_back(r.operation_id + " by " + req.user);
               }}) {
    auto record = [this](std::string name) {
      return [this, name](const http::Request& req, const PathParams& p) {
        calls.push_back(name);
        acting.push_back(req.user);
        last = p;
        return http::Response{200, "text/plain", name};
      };
    };
    table.add({
        {"GET", "/api/v1/parcels", "listParcels", k_public, record("list")},
        {"POST", "/api/v1/parcels/merge", "mergeParcels", roles({StaffRole::reviewer}),
         record("merge")},
        {"GET",
         "/api/v1/parcels/{id}",
         "getParcel",
         k_public,
         record("get"),
         {{"id", "parcel id"}}},
        {"POST",
         "/api/v1/parcels/{id}/{action}",
         "actOnParcel",
         roles({StaffRole::reviewer, StaffRole::supervisor}),
         record("act"),
         {{"id", "parcel id"}},
         {{"action", {"approve", "park"}}}},
        {"POST",
         "/api/v1/parcels/{id}/split",
         "splitParcel",
         roles({StaffRole::reviewer}),
         record("split"),
         {{"id", "parcel id"}}},
        {"GET",
         "/api/v1/parcels/{id}/waybill",
         "getParcelWaybills",
         k_public,
         record("waybill"),
         {{"id", "parcel id"}}},
        {"GET", "/api/v1/stock/{sku}", "getStock", k_public, record("stock")},
        {"POST",
         "/api/v1/stock/load",
         "loadStock",
         k_supervisors,
         record("load"),
         {},
         {},
         {"text/csv"}},
        {"POST",
         "/api/v1/labels/{id}/reprint",
         "reprintLabel",
         k_any_staff,
         record("reprint"),
         {{"id", "label id"}}},
    });
  }
  RouteTable table;
  std::vector<std::string> calls, acting, answered;
  PathParams last;
};

TEST_F(RouteTableTest, UnknownPathsAre404WithoutRunningAnything) {
  for (const char* target : {"/api/v1/nothing", "/api/v1/parcels/42/frobnicate",
                             "/api/v1/parcels/42/approve/now", "/api/v1/parcels/", "/"}) {
    auto r = table.handle(request("POST", target, "alice"));
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_NE(message_of(r).find("no route"), std::string::npos) << target;
  }
  EXPECT_TRUE(calls.empty());
}

TEST_F(RouteTableTest, AKnownPathWithAnotherMethodIs405WithAllow) {
  auto r = table.handle(request("POST", "/api/v1/parcels"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["Allow"], "GET, HEAD");
  auto m = table.handle(request("GET", "/api/v1/parcels/merge"));
  EXPECT_EQ(m.status, 405) << "the literal /merge wins over /{id}; it takes POST only";
  EXPECT_EQ(m.headers["Allow"], "POST");
  auto a = table.handle(request("GET", "/api/v1/parcels/7/approve"));
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.headers["Allow"], "POST");
  auto w = table.handle(request("POST", "/api/v1/parcels/7/waybill", "alice"));
  EXPECT_EQ(w.status, 405) << "waybill is not an action: only GET";
  EXPECT_EQ(w.headers["Allow"], "GET, HEAD");
  EXPECT_TRUE(calls.empty());
}

TEST_F(RouteTableTest, PathParametersAreParsedOnceAndABadIdNamesIt) {
  auto r = table.handle(request("POST", "/api/v1/parcels/42/park", "alice"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "act");
  EXPECT_EQ(last.id("id"), 42);
  EXPECT_EQ(last.text("action"), "park");
  EXPECT_EQ(table.handle(request("POST", "/api/v1/parcels/42/split", "alice")).body, "split")
      << "a literal segment wins over {action}";

  auto bad = table.handle(request("GET", "/api/v1/parcels/4x2"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(message_of(bad).substr(0, 10), "parcel id:");
  auto huge = table.handle(request("GET", "/api/v1/parcels/99999999999999999999"));
  EXPECT_EQ(huge.status, 400);
  auto label = table.handle(request("POST", "/api/v1/labels/-1/reprint", "mallory"));
  EXPECT_EQ(label.status, 400);
  EXPECT_EQ(message_of(label).substr(0, 9), "label id:");

  // A SKU holding '/' is one segment, sent %2F-encoded and decoded once.
  auto sku = table.handle(request("GET", "/api/v1/stock/MY-2601%2F12"));
  ASSERT_EQ(sku.status, 200);
  EXPECT_EQ(last.text("sku"), "MY-2601/12");
  EXPECT_EQ(table.handle(request("GET", "/api/v1/stock/%E7%BA%A2")).status, 200);
  EXPECT_EQ(last.text("sku"), "红");
  EXPECT_EQ(calls.size(), 4u);
}

TEST_F(RouteTableTest, RolesAreCheckedBeforeTheHandlerRuns) {
  auto nobody = table.handle(request("POST", "/api/v1/stock/load"));
  EXPECT_EQ(nobody.status, 401);
  EXPECT_NE(message_of(nobody).find("needs a login"), std::string::npos) << message_of(nobody);
  auto reviewer = table.handle(request("POST", "/api/v1/stock/load", "alice"));
  EXPECT_EQ(reviewer.status, 403);
  EXPECT_EQ(message_of(reviewer),
            "POST /api/v1/stock/load is for supervisor or admin; token:alice is reviewer");
  auto packer = table.handle(request("POST", "/api/v1/parcels/1/approve", "mallory"));
  EXPECT_EQ(packer.status, 403);
  EXPECT_NE(message_of(packer).find("reviewer, supervisor or admin"), std::string::npos);
  // Roles come before the parameters: a refused caller learns nothing from a 400.
  EXPECT_EQ(table.handle(request("POST", "/api/v1/parcels/zz/approve", "mallory")).status, 403);
  // An unknown (or revoked, or expired) credential is nobody.
  EXPECT_EQ(table.handle(request("POST", "/api/v1/labels/3/reprint", "eve")).status, 401);
  // The store cannot say who it is: 503, not a guess.
  EXPECT_EQ(table.handle(request("POST", "/api/v1/labels/3/reprint", "down")).status, 503);
  EXPECT_TRUE(calls.empty());
  EXPECT_TRUE(answered.empty());

  EXPECT_EQ(table.handle(request("POST", "/api/v1/stock/load", "boss")).status, 200);
  EXPECT_EQ(table.handle(request("POST", "/api/v1/parcels/1/approve", "boss")).status, 200);
  EXPECT_EQ(table.handle(request("POST", "/api/v1/labels/3/reprint", "mallory")).status, 200);
  EXPECT_EQ(calls, (std::vector<std::string>{"load", "act", "reprint"}));
  // The handler sees who is acting; a header cannot say it.
  EXPECT_EQ(acting, (std::vector<std::string>{"token:boss", "token:boss", "token:mallory"}));
  EXPECT_EQ(answered.back(), "reprintLabel by token:mallory");
}

// A cookie rides along with any request a browser makes, whichever page caused it: a
// session's state change must also echo the session's CSRF token, which only our pages read.
TEST_F(RouteTableTest, ASessionsStateChangeNeedsItsCsrfToken) {
  auto none = table.handle(in_session("POST", "/api/v1/labels/3/reprint", "mallory", ""));
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(message_of(none),
            "POST /api/v1/labels/{id}/reprint needs the session's CSRF token (X-CSRF-Token)");
  auto forged =
      table.handle(in_session("POST", "/api/v1/labels/3/reprint", "mallory", "csrf-of-boss"));
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(message_of(forged).find("not this session's"), std::string::npos);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(
      table.handle(in_session("POST", "/api/v1/labels/3/reprint", "mallory", "csrf-of-mallory"))
          .status,
      200);
  // A read needs no token; a bearer token has no cookie to be ridden and needs none.
  EXPECT_EQ(table.handle(in_session("GET", "/api/v1/parcels", "mallory", "")).status, 200);
  EXPECT_EQ(table.handle(request("POST", "/api/v1/labels/3/reprint", "mallory")).status, 200);
  EXPECT_EQ(acting, (std::vector<std::string>{"mallory", "", "token:mallory"}))
      << "a public route runs with nobody named";
}

// Issue 24 (bad input): a body is read only in a media type the route takes, so a form or
// text/plain post from another web page never reaches a handler.
TEST_F(RouteTableTest, ABodyInAnotherMediaTypeIs415BeforeAnythingRuns) {
  auto with_body = [](http::Request r, std::string type, std::string body) {
    r.content_type = std::move(type);
    r.body = std::move(body);
    return r;
  };
  const auto merge = request("POST", "/api/v1/parcels/merge", "alice");
  auto plain = table.handle(with_body(merge, "text/plain", R"({"ids":[1,2]})"));
  EXPECT_EQ(plain.status, 415);
  EXPECT_EQ(message_of(plain), "POST /api/v1/parcels/merge takes application/json, not text/plain");
  EXPECT_EQ(table.handle(with_body(merge, "application/x-www-form-urlencoded", "ids=1")).status,
            415);
  EXPECT_NE(message_of(table.handle(with_body(merge, "", "{}"))).find("without Content-Type"),
            std::string::npos);
  const auto load = request("POST", "/api/v1/stock/load", "boss");
  EXPECT_EQ(table.handle(with_body(load, "application/json", "{}")).status, 415);
  EXPECT_TRUE(calls.empty());
  // The type alone counts: parameters and case do not.
  EXPECT_EQ(table.handle(with_body(merge, "Application/JSON; charset=utf-8", "{}")).status, 200);
  EXPECT_EQ(table.handle(with_body(load, "text/csv; charset=gb18030", "sku,on_hand\n")).status,
            200);
  // A body-less POST has nothing to read.
  EXPECT_EQ(table.handle(merge).status, 200);
  // A refused caller is told 403 whatever the body (roles come first).
  EXPECT_EQ(
      table.handle(with_body(request("POST", "/api/v1/stock/load", "alice"), "text/plain", "x"))
          .status,
      403);
  EXPECT_EQ(media_type(" Text/CSV ;charset=utf-8"), "text/csv");
}

TEST_F(RouteTableTest, ARouteAddedTwiceIsRefused) {
  EXPECT_THROW(table.add({{"GET", "/api/v1/parcels", "again", k_public, nullptr}}),
               std::logic_error);
}

TEST(Roles, DescribedForPeople) {
  EXPECT_EQ(describe_roles(k_public), "anyone");
  EXPECT_EQ(describe_roles(k_any_staff), "anyone logged in");
  EXPECT_EQ(describe_roles(k_supervisors), "supervisor or admin");
  EXPECT_EQ(describe_roles(k_review_staff), "reviewer, problem_handler, supervisor or admin");
  EXPECT_EQ(k_any_staff,
            roles({StaffRole::packer, StaffRole::picker, StaffRole::reviewer,
                   StaffRole::problem_handler, StaffRole::customer_service, StaffRole::supervisor}))
      << "k_any_staff is every role there is";
}

}  // namespace
}  // namespace fulfil::daemon::api
