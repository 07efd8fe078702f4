#pragma once
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "common/error.hpp"

namespace fulfil::aftersale {

// ZeroMQ's authentication handler (ZAP, RFC 27) for one context: a CURVE client whose
// public key is in the allowed set gets in; any other key, and every NULL or PLAIN client,
// is refused and counted. libzmq lets every CURVE client in when no handler runs, so a
// socket may bind as a CURVE server only after start() succeeded.
class ZapHandler {
 public:
  // Binds the context's ZAP endpoint and answers on a thread of its own. Fails when the
  // endpoint is taken (another handler in this context) or a key is not Z85.
  static Result<std::unique_ptr<ZapHandler>> start(zmq::context_t& ctx,
                                                   const std::vector<std::string>& allowed_z85);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;
  std::int64_t accepted() const { return m_accepted; }
  std::int64_t refused() const { return m_refused; }

 private:
  ZapHandler(zmq::socket_t socket, std::set<std::string> allowed);
  void serve();
  zmq::socket_t m_socket;
  std::set<std::string> m_allowed;  // raw 32-byte keys
  std::atomic<bool> m_stop{false};
  std::atomic<std::int64_t> m_accepted{0}, m_refused{0};
  std::thread m_thread;
};

}  // namespace fulfil::aftersale
