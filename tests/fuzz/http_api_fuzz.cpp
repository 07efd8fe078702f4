// The API as clients reach it: raw HTTP/1.1 request bytes through the server's own parser
// (Beast, the same body limit) into the daemon's real router with every capability on a
// SQLite store: paths, query strings, cookies, forms, multipart and JSON bodies. The first
// byte picks a role's API token for requests that bring none, so the fuzzer gets past the
// login and into each route's own reading of its input.
#include <cstdio>
#include <cstdlib>
#include <map>

#include "api_fixture.hpp"
#include "config.hpp"
#include "fuzz_support.hpp"
#include "identity/api_token_repository.hpp"
#include "modules.hpp"

using namespace fulfil;

namespace {

struct World {
  World() {
    auto conn = api.store.local(store::Durability::strict);
    if (!conn || !daemon::migrate_all(**conn)) __builtin_trap();
    identity::ApiTokenRepository tokens(**conn);
    for (auto role : identity::all_staff_roles()) {
      auto issued = tokens.add(std::string(identity::to_string(role)), role, api.clock.now());
      if (!issued) __builtin_trap();
      token.push_back(issued->token);
    }
    api.state.ready = true;
  }
  // The embedded defaults (a CSV shop, the spool printer), so printing's routes answer too.
  test::ApiFixture api{*daemon::parse_config(daemon::embedded_config(), "<embedded>")};
  std::vector<std::string> token;
};

World& world() {
  static World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_log();
  (void)world();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const auto who = in.byte();
  auto request = http::parse_request(in.rest(), 1 << 20, "127.0.0.1");
  if (!request) return 0;
  World& w = world();
  if (request->authorization.empty() && request->cookie.empty() && who < w.token.size())
    request->authorization = "Bearer " + w.token[who];
  const std::string line = request->method + " " + request->target;
  const auto answer = w.api.handle(std::move(*request));
  if (answer.status < 100 || answer.status > 599) __builtin_trap();
  // FULFIL_FUZZ_TRACE=1: each request and its answer, to see what a corpus reaches.
  static const bool trace = std::getenv("FULFIL_FUZZ_TRACE") != nullptr;
  if (trace)
    std::fprintf(stderr, "%d %s %.120s\n", answer.status, line.c_str(), answer.body.c_str());
  return 0;
}
