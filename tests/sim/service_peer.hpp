#pragma once
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "aftersale/curve_keys.hpp"
#include "aftersale/zap_handler.hpp"

namespace fulfil::sim {

// The reference customer-service peer: binds a ROUTER, takes ["SLIP", id, JSON], stores
// each new slip (one JSON line in `store_file`, written before the ack) and answers
// ["ACK", id]. The receiver's rule (docs/slips/README.md): dedupe on the slip id; a repeat
// is acked again and not stored twice. A repeat whose bytes differ is counted as a
// mismatch (the sender promised the same bytes under the same id).
struct ServicePeerSettings {
  std::string bind = "tcp://127.0.0.1:0";
  std::optional<aftersale::KeyPair> keys;  // our server keys; nullopt: no CURVE
  std::vector<std::string> clients;        // CURVE public keys let in
  std::filesystem::path store_file;        // empty: keep slips in memory only
  bool print = false;                      // print each new slip on stdout
};

class ServicePeer {
 public:
  static Result<std::unique_ptr<ServicePeer>> start(ServicePeerSettings s);
  ~ServicePeer();
  // The endpoint actually bound (port 0 becomes the real one).
  std::string endpoint() const { return m_endpoint; }
  // While false, slips are received and stored but not acked (a peer that hangs).
  void set_acking(bool on) { m_acking = on; }
  // Sends `frames` to the last client that spoke (garbage tests).
  void send_raw(std::vector<std::string> frames);
  std::vector<std::string> ids() const;  // in arrival order
  std::int64_t received() const { return m_received; }
  std::int64_t repeats() const { return m_repeats; }
  std::int64_t mismatches() const { return m_mismatches; }
  std::int64_t bad_messages() const { return m_bad; }
  std::optional<std::string> body(const std::string& id) const;

 private:
  ServicePeer() = default;
  void serve();
  zmq::context_t m_ctx;
  std::unique_ptr<aftersale::ZapHandler> m_zap;
  zmq::socket_t m_router;
  std::string m_endpoint;
  ServicePeerSettings m_s;
  mutable std::mutex m_mutex;
  std::map<std::string, std::string> m_bodies;
  std::vector<std::string> m_order;
  std::vector<std::vector<std::string>> m_outgoing;
  std::string m_last_client;
  std::FILE* m_file = nullptr;
  std::atomic<bool> m_stop{false}, m_acking{true};
  std::atomic<std::int64_t> m_received{0}, m_repeats{0}, m_mismatches{0}, m_bad{0};
  std::thread m_thread;
};

}  // namespace fulfil::sim
