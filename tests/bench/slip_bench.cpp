// slip_bench: slips from check-in to ack, durable, over CURVE on tcp loopback, against a
// raw DEALER/ROUTER ack loop with a window of 100 in the same run.
//   slip_bench [--slips 100000] [--batch 500] [--plain]
// Check-ins go in batches (one transaction each) on embedded SQLite (strict durability);
// the in-process reference peer stores each new slip in a file before acking it.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "aftersale/outbox.hpp"
#include "aftersale/return_service.hpp"
#include "aftersale/slip_sender.hpp"
#include "service_peer.hpp"
#include "store_fixture.hpp"
#include "test_support.hpp"

using namespace fulfil;
using clk = std::chrono::steady_clock;

namespace {

// Round trips a second of a bare DEALER/ROUTER loop, `window` requests outstanding.
double raw_loop(int n, int window, std::size_t bytes) {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router), dealer(ctx, zmq::socket_type::dealer);
  router.bind("tcp://127.0.0.1:0");
  dealer.connect(router.get(zmq::sockopt::last_endpoint));
  std::thread echo([&] {
    for (int i = 0; i < n; ++i) {
      zmq::message_t id, kind, slip, body;
      (void)router.recv(id);
      (void)router.recv(kind);
      (void)router.recv(slip);
      (void)router.recv(body);
      router.send(id, zmq::send_flags::sndmore);
      router.send(zmq::buffer(std::string_view("ACK")), zmq::send_flags::sndmore);
      router.send(slip, zmq::send_flags::none);
    }
  });
  const std::string body(bytes, 'x');
  const auto start = clk::now();
  int sent = 0, acked = 0;
  while (acked < n) {
    while (sent < n && sent - acked < window) {
      const std::string id = std::to_string(sent++);
      dealer.send(zmq::buffer(std::string_view("SLIP")), zmq::send_flags::sndmore);
      dealer.send(zmq::buffer(id), zmq::send_flags::sndmore);
      dealer.send(zmq::buffer(body), zmq::send_flags::none);
    }
    zmq::message_t kind, slip;
    (void)dealer.recv(kind);
    (void)dealer.recv(slip);
    ++acked;
  }
  const double s = std::chrono::duration<double>(clk::now() - start).count();
  echo.join();
  return n / s;
}

}  // namespace

int main(int argc, char** argv) {
  int slips = 100000, batch = 500;
  bool curve = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--slips") && i + 1 < argc) slips = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) batch = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--plain")) curve = false;
  }
  std::string why;
  auto store = test::TestStore::create(test::Backend::sqlite, why);
  if (!store) {
    std::fprintf(stderr, "no store: %s\n", why.c_str());
    return 1;
  }
  test::TempDir dir;
  const auto daemon = *aftersale::generate_key_pair();
  const auto service = *aftersale::generate_key_pair();
  sim::ServicePeerSettings ps;
  if (curve) {
    ps.keys = service;
    ps.clients = {daemon.public_z85};
  }
  ps.store_file = dir.path() / "slips.jsonl";
  auto peer = sim::ServicePeer::start(ps);
  if (!peer) return 1;
  zmq::context_t ctx;
  SystemClock clock;
  aftersale::ChannelSettings channel;
  channel.service_endpoint = (*peer)->endpoint();
  channel.poll_ms = 5;
  aftersale::ChannelMonitor monitor;
  std::optional<std::pair<aftersale::KeyPair, std::string>> keys;
  if (curve) keys.emplace(daemon, service.public_z85);
  aftersale::SlipSender sender(ctx, channel, keys, clock, monitor);
  auto conn =
      store::Connection::open(*store::StoreUrl::parse(store->url()), store::Durability::strict);
  std::atomic<bool> stop{false};
  std::thread t([&] { (void)sender.run(**conn, stop); });
  while (!monitor.snapshot().connected) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  aftersale::ReturnSettings settings;
  aftersale::ReturnService returns(store->conn(), clock, settings);
  const auto start = clk::now();
  double check_in_seconds = 0;
  for (int done = 0; done < slips; done += batch) {
    std::vector<aftersale::CheckIn> b;
    for (int i = done; i < std::min(slips, done + batch); ++i)
      b.push_back({"YT" + std::to_string(10000000 + i),
                   "YTO",
                   "",
                   true,
                   aftersale::Condition::fine,
                   {},
                   "arrived without a form",
                   "",
                   "bench"});
    const auto c0 = clk::now();
    if (auto r = returns.check_in_many(b); !r) {
      std::fprintf(stderr, "check-in failed: %s\n", r.error().message.c_str());
      return 1;
    }
    check_in_seconds += std::chrono::duration<double>(clk::now() - c0).count();
  }
  aftersale::Outbox outbox(store->conn());
  for (;;) {
    auto b = outbox.backlog();
    if (b && b->pending == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double total = std::chrono::duration<double>(clk::now() - start).count();
  stop = true;
  t.join();
  const auto ids = (*peer)->ids();
  std::size_t bytes = 0;
  if (auto b = (*peer)->body(ids.front())) bytes = b->size();
  const double raw = raw_loop(std::max(slips, 100000), 100, bytes);
  const double rate = slips / total;
  std::printf(
      "slips %d (%zu bytes each, curve %s): check-in to ack %.2f s = %.0f slips/s "
      "(check-in alone %.2f s = %.0f/s)\n",
      slips, bytes, curve ? "on" : "off", total, rate, check_in_seconds, slips / check_in_seconds);
  std::printf(
      "peer: %zu unique, %lld repeats, %lld mismatches; raw DEALER/ROUTER window 100: "
      "%.0f round trips/s; ratio %.2f\n",
      ids.size(), static_cast<long long>((*peer)->repeats()),
      static_cast<long long>((*peer)->mismatches()), raw, rate / raw);
  return ids.size() == static_cast<std::size_t>(slips) && (*peer)->mismatches() == 0 ? 0 : 1;
}
