// top-sim: the TOP gateway simulator as a process, for crash tests and benchmarks that
// need the client in another process. Prints "READY <port>" on stdout once listening.
// Control over HTTP on the same port is not offered: options set everything up front;
// SIGUSR1 stops mutations, SIGTERM exits. `--dump FILE` writes the expected state on exit.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "top_simulator.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_calm = 0;
}  // namespace

int main(int argc, char** argv) {
  fulfil::sim::TopSimSettings s;
  fulfil::sim::TopSimFaults f;
  unsigned short port = 0;
  std::string dump;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port")
      port = static_cast<unsigned short>(std::stoi(v));
    else if (k == "--trades")
      s.trades = std::stoll(v);
    else if (k == "--seed")
      s.seed = std::stoull(v);
    else if (k == "--hours") {
      s.span_end = fulfil::SystemClock().now() - 120;
      s.span_start = s.span_end - std::stoll(v) * 3600;
    } else if (k == "--app-key")
      s.app_key = v;
    else if (k == "--secret")
      s.app_secret = v;
    else if (k == "--session")
      s.session = v;
    else if (k == "--mutate")
      f.mutate_per_request = std::stoi(v);
    else if (k == "--rate-limit-every")
      f.rate_limit_every = std::stoi(v);
    else if (k == "--isp-every")
      f.isp_error_every = std::stoi(v);
    else if (k == "--latency-ms")
      f.latency_ms = std::stoi(v);
    else if (k == "--dump")
      dump = v;
    else {
      std::fprintf(stderr, "top-sim: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGUSR1, [](int) { g_calm = 1; });
  fulfil::sim::TopSimulator sim(s);
  sim.set_faults(f);
  unsigned short bound = sim.start(port);
  std::printf("READY %u\n", bound);
  std::fflush(stdout);
  bool calmed = false;
  while (!g_stop) {
    if (g_calm && !calmed) {
      sim.set_faults({});
      calmed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  sim.stop();
  if (!dump.empty()) {
    std::ofstream out(dump);
    for (const auto& [tid, e] : sim.expected())
      out << tid << ' ' << e.status << ' ' << e.payment_fen << ' ' << e.lines << '\n';
  }
  return 0;
}
