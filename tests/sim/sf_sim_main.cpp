// sf-sim: SF's open platform simulator as a process, so that it outlives a daemon killed
// with -9. Prints "READY <port>" once listening; SIGTERM exits after writing `--dump FILE`:
// one line per orderId with the waybill issued for it and how many waybills it cost, then
// "repeated-request-ids N 0".
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "sf_simulator.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
}  // namespace

int main(int argc, char** argv) {
  std::string partner = "FULFIL", check_word = "check-word", dump;
  fulfil::sim::SfSimFaults faults;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--partner")
      partner = v;
    else if (k == "--check-word")
      check_word = v;
    else if (k == "--latency-ms")
      faults.latency_ms = std::stoi(v);
    else if (k == "--drop-after-every")
      faults.drop_after_every = std::stoi(v);
    else if (k == "--dump")
      dump = v;
    else {
      std::fprintf(stderr, "sf-sim: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  fulfil::sim::SfSimulator sim(partner, check_word);
  sim.set_faults(faults);
  const unsigned short port = sim.start();
  std::printf("READY %u\n", port);
  std::fflush(stdout);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (!dump.empty()) {
    std::ofstream out(dump);
    const auto issued = sim.issued_per_order();
    for (const auto& [order, waybill] : sim.orders())
      out << order << ' ' << waybill << ' ' << (issued.contains(order) ? issued.at(order) : 0)
          << '\n';
    // Last: how many requests came with a requestID seen before (SF answers those A1007).
    out << "repeated-request-ids " << sim.repeated_request_ids() << " 0\n";
  }
  return 0;
}
