#pragma once
#include <memory>

#include "api/api_router.hpp"
#include "capabilities.hpp"
#include "test_support.hpp"

namespace fulfil::test {

// The daemon's real API on a fresh SQLite file (not created until a route touches the store):
// every capability of the list behind the real router, on `config`, without a running daemon
// (no HTTP client, no jobs). `live` may be swapped as a reload does.
struct ApiFixture {
  explicit ApiFixture(daemon::Config config = {})
      : store(*store::StoreUrl::parse("sqlite:" + (dir.path() / "x.db").string())),
        live(std::make_shared<const daemon::Config>(std::move(config))),
        services{store, clock, live, state},
        capabilities(daemon::make_capabilities(), services),
        router(services, capabilities) {}
  http::Response handle(const http::Request& req) { return router.handle(req); }

  TempDir dir;
  daemon::StoreAccess store;
  ManualClock clock{SystemClock().now()};
  daemon::LiveConfig live;
  daemon::api::ProcessState state;
  daemon::Services services;
  daemon::CapabilitySet capabilities;
  daemon::api::ApiRouter router;
};

}  // namespace fulfil::test
