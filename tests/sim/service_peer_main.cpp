// fulfil-service-peer: the reference customer-service module for the demo and the tests.
//   fulfil-service-peer --bind tcp://127.0.0.1:5571 [--key server.key --clients DIR]
//                       [--store slips.jsonl] [--quiet]
// Binds a ROUTER (CURVE with --key; only the keys in DIR/*.pub get in), stores each new slip
// as a JSON line before acking it, acks repeats again without storing them twice, and
// prints each new slip. Writes "ready <endpoint>" on stdout once bound.
#include <csignal>
#include <iostream>
#include <thread>

#include "service_peer.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
}

int main(int argc, char** argv) {
  using namespace fulfil;
  sim::ServicePeerSettings s;
  s.print = true;
  std::string key, clients;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--bind")
      s.bind = next();
    else if (a == "--key")
      key = next();
    else if (a == "--clients")
      clients = next();
    else if (a == "--store")
      s.store_file = next();
    else if (a == "--quiet")
      s.print = false;
    else {
      std::cerr << "fulfil-service-peer: unknown option " << a << "\n";
      return 2;
    }
  }
  if (!key.empty()) {
    auto k = aftersale::load_secret_key(key);
    if (!k) {
      std::cerr << "fulfil-service-peer: " << k.error().message << "\n";
      return 2;
    }
    s.keys = *k;
    if (!clients.empty()) {
      auto c = aftersale::load_public_keys(clients);
      if (!c) {
        std::cerr << "fulfil-service-peer: " << c.error().message << "\n";
        return 2;
      }
      s.clients = *c;
    }
  }
  auto peer = sim::ServicePeer::start(s);
  if (!peer) {
    std::cerr << "fulfil-service-peer: " << peer.error().message << "\n";
    return 1;
  }
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::cout << "ready " << (*peer)->endpoint() << std::endl;
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::cerr << "fulfil-service-peer: " << (*peer)->ids().size() << " slips, " << (*peer)->repeats()
            << " repeats, " << (*peer)->mismatches() << " mismatches\n";
  return 0;
}
