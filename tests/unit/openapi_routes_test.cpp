// The route table and daemon/api/openapi.yaml describe the same API: every documented
// operation has a route with its method, path and operationId, and every route is documented.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <boost/json/parse.hpp>

#include "api/api_router.hpp"
#include "api/api_util.hpp"
#include "api_fixture.hpp"
#include "common/clock.hpp"
#include "test_support.hpp"

namespace fulfil::daemon::api {
namespace {

struct Operation {
  std::string operation_id;
  std::string text;  // the operation's lines, for its parameters
};

// "GET /api/v1/parcels/{id}" -> the operation, read from the document's `paths:` block (two
// spaces: a path; four: a method; six: the operation's fields).
std::map<std::string, Operation> documented_operations(const std::string& yaml) {
  std::map<std::string, Operation> ops;
  std::istringstream in(yaml);
  std::string line, path, key;
  bool in_paths = false;
  static const std::regex k_path(R"(^  (/\S*):\s*$)"),
      k_method(R"(^    (get|post|put|delete|patch):\s*$)"),
      k_id(R"(^      operationId:\s*(\S+)\s*$)");
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') break;
    std::smatch m;
    if (std::regex_match(line, m, k_path)) {
      path = m[1];
      key.clear();
    } else if (std::regex_match(line, m, k_method)) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      key = method + " " + path;
      ops[key];
    } else if (!key.empty() && line.starts_with("      ")) {
      if (std::regex_match(line, m, k_id)) ops[key].operation_id = m[1];
      ops[key].text += line + "\n";
    } else if (!line.starts_with("      ")) {
      key.clear();
    }
  }
  return ops;
}

TEST(OpenApiRoutes, EveryDocumentedOperationHasItsRouteAndEveryRouteIsDocumented) {
  const auto documented = documented_operations(
      test::read_file(std::string(FULFIL_SOURCE_DIR) + "/daemon/api/openapi.yaml"));
  ASSERT_GT(documented.size(), 30u) << "the document was not read";

  test::ApiFixture api;
  auto& router = api.router;

  std::set<std::string> routed, operation_ids;
  for (const auto& r : router.table().routes()) {
    const std::string key = r.method + " " + r.pattern;
    routed.insert(key);
    EXPECT_TRUE(operation_ids.insert(r.operation_id).second)
        << "operationId " << r.operation_id << " used twice";
    auto it = documented.find(key);
    if (it == documented.end()) {
      ADD_FAILURE() << key << " is routed but not in openapi.yaml";
      continue;
    }
    EXPECT_EQ(it->second.operation_id, r.operation_id) << key;
    // A parameter that takes only some values is documented with exactly those.
    for (const auto& [param, values] : r.choices) {
      std::string list;
      for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
      EXPECT_NE(it->second.text.find("name: " + param), std::string::npos) << key;
      EXPECT_NE(it->second.text.find("enum: [" + list + "]"), std::string::npos)
          << key << ": " << param << " documented with other values than [" << list << "]";
    }
    // A documented request body comes in exactly the media types the route takes.
    const auto& text = it->second.text;
    if (auto body = text.find("requestBody:"); body != std::string::npos) {
      const std::string block = text.substr(body, text.find("responses:", body) - body);
      static const std::regex k_type(R"(((application|text)/[a-z+.-]+):)");
      std::set<std::string> documented_types;
      for (std::sregex_iterator m(block.begin(), block.end(), k_type), end; m != end; ++m)
        documented_types.insert((*m)[1]);
      EXPECT_EQ(documented_types, std::set<std::string>(r.body_types.begin(), r.body_types.end()))
          << key;
    }
  }
  for (const auto& [key, op] : documented)
    EXPECT_TRUE(routed.contains(key)) << key << " is documented but has no route";
}

// Issue 23 (found while trying it): the daemon's own table answers before any field is read.
TEST(OpenApiRoutes, UnknownActionsAndMethodsAreAnsweredBeforeAnyFieldIsRead) {
  test::ApiFixture api;
  auto& router = api.router;
  auto call = [&](std::string method, std::string target, std::string body) {
    http::Request r;
    r.method = std::move(method);
    r.target = r.path = std::move(target);
    r.body = std::move(body);
    return router.handle(r);
  };
  EXPECT_EQ(call("POST", "/api/v1/parcels/42/frobnicate", "").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/parcels/42/frobnicate", R"({"version":1})").status, 404);
  auto post_health = call("POST", "/healthz", "");
  EXPECT_EQ(post_health.status, 405);
  EXPECT_EQ(post_health.headers["Allow"], "GET, HEAD");
  // No login, no credentials: refused before the store is asked who it is.
  EXPECT_EQ(call("POST", "/api/v1/stock/load", "sku,on_hand\nA,1\n").status, 401);
  EXPECT_FALSE(std::filesystem::exists(api.dir.path() / "x.db")) << "nothing reached the store";
}

TEST(ApiFields, WholeNumbersAreJsonNumbersAsTheDocumentSays) {
  const auto body = boost::json::parse(R"({"n": "2", "m": 3, "x": 2.5})").as_object();
  auto n = int_field(body, "n");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(n.error().message.substr(0, 24), "n: expected a whole numb");
  EXPECT_EQ(*int_field(body, "m"), 3);
  EXPECT_FALSE(int_field(body, "x"));
  EXPECT_EQ(*int_field(body, "absent", 20), 20);
}

}  // namespace
}  // namespace fulfil::daemon::api
