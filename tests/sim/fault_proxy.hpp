#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace fulfil::sim {

// What a FaultProxy does to the next request it carries.
enum class Fault {
  none,                 // carries bytes both ways as they come
  stall,                // takes the request, forwards nothing and never answers
  reset_after_forward,  // forwards the request, then resets the client when the answer comes
  slow_drip,            // forwards the request; the answer goes back a byte at a time
  truncate,             // forwards the request; half of the answer's first chunk, then FIN
  garbage,              // forwards the request; random bytes instead of the answer, then FIN
};
inline constexpr std::array<Fault, 5> k_all_faults = {
    Fault::stall, Fault::reset_after_forward, Fault::slow_drip, Fault::truncate, Fault::garbage};
std::string_view fault_name(Fault f);

// A TCP proxy on 127.0.0.1 between a client (the daemon) and one outside system's simulator,
// with faults on demand. A fault strikes requests, not connections: a kept-alive connection
// takes it on its next request as a new one does. Runs its own I/O thread; safe to call from
// any thread.
class FaultProxy {
 public:
  FaultProxy(std::string upstream_host, unsigned short upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  unsigned short port() const { return m_port; }
  std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

  // The next `requests` requests (every one while < 0) take `fault`; then back to none.
  void inject(Fault fault, int requests = -1);
  // No fault from now on; stalled connections are closed, drips speed up.
  void clear();
  // A slow drip's wait between two bytes (default 50 ms).
  void set_drip_interval(std::chrono::milliseconds interval) { m_drip_ms = interval.count(); }

  // Requests carried, and faults struck, since start.
  long requests() const { return m_requests.load(); }
  long faults_struck() const { return m_struck.load(); }

  // Decides the fault of one request (used by the sessions).
  Fault take_fault();
  long generation() const { return m_generation.load(); }
  long drip_ms() const { return m_drip_ms.load(); }

 private:
  void accept();

  std::string m_upstream_host;
  unsigned short m_upstream_port;
  boost::asio::io_context m_io;
  boost::asio::ip::tcp::acceptor m_acceptor;
  std::thread m_thread;
  unsigned short m_port = 0;
  std::mutex m_mutex;
  Fault m_fault = Fault::none;
  int m_left = 0;  // requests the fault still strikes; < 0: every one
  std::atomic<long> m_requests{0}, m_struck{0}, m_generation{0}, m_drip_ms{50};
};

}  // namespace fulfil::sim
