#include "service_peer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>

namespace fulfil::sim {

namespace json = boost::json;

Result<std::unique_ptr<ServicePeer>> ServicePeer::start(ServicePeerSettings s) {
  std::unique_ptr<ServicePeer> p(new ServicePeer());
  p->m_s = std::move(s);
  if (!p->m_s.store_file.empty()) {
    // Slips a previous life stored: a line cut short by a kill was never acked.
    std::ifstream in(p->m_s.store_file);
    std::string line;
    while (std::getline(in, line)) {
      boost::system::error_code ec;
      auto v = json::parse(line, ec);
      if (ec || !v.is_object() || !v.as_object().contains("slip_id")) continue;
      const std::string id(v.as_object().at("slip_id").as_string());
      if (p->m_bodies.emplace(id, line).second) p->m_order.push_back(id);
    }
    p->m_file = std::fopen(p->m_s.store_file.c_str(), "a");
    if (!p->m_file)
      return fail(ErrorKind::config, p->m_s.store_file.string() + ": cannot open for append");
  }
  try {
    if (p->m_s.keys) {
      auto zap = aftersale::ZapHandler::start(p->m_ctx, p->m_s.clients);
      if (!zap) return std::unexpected(zap.error());
      p->m_zap = std::move(*zap);
    }
    p->m_router = zmq::socket_t(p->m_ctx, zmq::socket_type::router);
    p->m_router.set(zmq::sockopt::linger, 0);
    p->m_router.set(zmq::sockopt::rcvhwm, 100000);
    p->m_router.set(zmq::sockopt::sndhwm, 100000);
    if (p->m_s.keys) aftersale::make_curve_server(p->m_router, *p->m_s.keys, "service");
    p->m_router.bind(p->m_s.bind);
    p->m_endpoint = p->m_router.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    return fail(ErrorKind::config, p->m_s.bind + ": " + e.what());
  }
  p->m_thread = std::thread([r = p.get()] { r->serve(); });
  return p;
}

ServicePeer::~ServicePeer() {
  m_stop = true;
  if (m_thread.joinable()) m_thread.join();
  m_router.close();
  m_zap.reset();
  if (m_file) std::fclose(m_file);
}

void ServicePeer::send_raw(std::vector<std::string> frames) {
  std::lock_guard lock(m_mutex);
  m_outgoing.push_back(std::move(frames));
}

std::vector<std::string> ServicePeer::ids() const {
  std::lock_guard lock(m_mutex);
  return m_order;
}

std::optional<std::string> ServicePeer::body(const std::string& id) const {
  std::lock_guard lock(m_mutex);
  auto it = m_bodies.find(id);
  if (it == m_bodies.end()) return std::nullopt;
  return it->second;
}

void ServicePeer::serve() {
  zmq::pollitem_t items[] = {{m_router.handle(), 0, ZMQ_POLLIN, 0}};
  while (!m_stop) {
    {
      std::vector<std::vector<std::string>> out;
      {
        std::lock_guard lock(m_mutex);
        out.swap(m_outgoing);
      }
      for (const auto& frames : out) {
        if (m_last_client.empty()) continue;
        m_router.send(zmq::buffer(m_last_client), zmq::send_flags::sndmore);
        for (std::size_t i = 0; i < frames.size(); ++i)
          m_router.send(zmq::buffer(frames[i]),
                        i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
      }
    }
    try {
      if (zmq::poll(items, 1, std::chrono::milliseconds(20)) == 0) continue;
    } catch (const zmq::error_t&) {
      return;
    }
    for (;;) {
      std::vector<zmq::message_t> frames;
      zmq::message_t first;
      if (!m_router.recv(first, zmq::recv_flags::dontwait)) break;
      frames.push_back(std::move(first));
      while (frames.back().more()) {
        frames.emplace_back();
        (void)m_router.recv(frames.back());
      }
      const std::string client = frames[0].to_string();
      m_last_client = client;
      if (frames.size() != 4 || frames[1].to_string_view() != "SLIP") {
        ++m_bad;
        continue;
      }
      const std::string id = frames[2].to_string(), text = frames[3].to_string();
      ++m_received;
      bool fresh = false;
      {
        std::lock_guard lock(m_mutex);
        auto it = m_bodies.find(id);
        if (it == m_bodies.end()) {
          m_bodies.emplace(id, text);
          m_order.push_back(id);
          fresh = true;
        } else {
          ++m_repeats;
          if (it->second != text) {
            ++m_mismatches;
            // Said at once: a kill -9 would lose a count kept for the exit.
            std::cerr << "mismatch " << id << std::endl;
          }
        }
      }
      if (fresh) {
        // Stored before the ack: a slip acked is a slip kept.
        if (m_file) {
          std::fwrite(text.data(), 1, text.size(), m_file);
          std::fputc('\n', m_file);
          std::fflush(m_file);
        }
        if (m_s.print) std::cout << "slip " << id << " " << text << std::endl;
      }
      if (!m_acking) continue;
      m_router.send(zmq::buffer(client), zmq::send_flags::sndmore);
      m_router.send(zmq::buffer(std::string_view("ACK")), zmq::send_flags::sndmore);
      m_router.send(zmq::buffer(id), zmq::send_flags::none);
    }
  }
}

}  // namespace fulfil::sim
