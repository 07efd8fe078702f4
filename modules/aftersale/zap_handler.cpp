#include "aftersale/zap_handler.hpp"

#include <array>

#include "common/log.hpp"

namespace fulfil::aftersale {

Result<std::unique_ptr<ZapHandler>> ZapHandler::start(zmq::context_t& ctx,
                                                      const std::vector<std::string>& allowed_z85) {
  std::set<std::string> allowed;
  for (const auto& k : allowed_z85) {
    std::array<std::uint8_t, 32> raw{};
    if (k.size() != 40 || !zmq_z85_decode(raw.data(), k.c_str()))
      return fail(ErrorKind::config, "allowed key \"" + k.substr(0, 48) + "\" is not Z85");
    allowed.emplace(reinterpret_cast<const char*>(raw.data()), raw.size());
  }
  try {
    zmq::socket_t s(ctx, zmq::socket_type::rep);
    s.set(zmq::sockopt::linger, 0);
    s.bind("inproc://zeromq.zap.01");
    return std::unique_ptr<ZapHandler>(new ZapHandler(std::move(s), std::move(allowed)));
  } catch (const zmq::error_t& e) {
    return fail(ErrorKind::config, std::string("the ZAP handler cannot run (") + e.what() +
                                       "): refusing to accept CURVE clients without one");
  }
}

ZapHandler::ZapHandler(zmq::socket_t socket, std::set<std::string> allowed)
    : m_socket(std::move(socket)), m_allowed(std::move(allowed)) {
  m_thread = std::thread([this] { serve(); });
}

ZapHandler::~ZapHandler() {
  m_stop = true;
  if (m_thread.joinable()) m_thread.join();
}

void ZapHandler::serve() {
  zmq::pollitem_t items[] = {{m_socket.handle(), 0, ZMQ_POLLIN, 0}};
  while (!m_stop) {
    try {
      if (zmq::poll(items, 1, std::chrono::milliseconds(100)) == 0) continue;
      std::vector<zmq::message_t> frames;
      do {
        frames.emplace_back();
        (void)m_socket.recv(frames.back());
      } while (frames.back().more());
      // version, request id, domain, address, identity, mechanism, credentials...
      std::string status = "400", text = "refused", user;
      const std::string mechanism = frames.size() > 5 ? frames[5].to_string() : "";
      const std::string address = frames.size() > 3 ? frames[3].to_string() : "";
      if (frames.size() < 6 || frames[0].to_string_view() != "1.0") {
        text = "malformed ZAP request";
      } else if (mechanism == "CURVE" && frames.size() >= 7 && frames[6].size() == 32) {
        const std::string key = frames[6].to_string();
        if (m_allowed.contains(key)) {
          status = "200";
          text = "OK";
          std::array<char, 41> z85{};
          zmq_z85_encode(z85.data(), reinterpret_cast<const std::uint8_t*>(key.data()), 32);
          user = z85.data();
        } else {
          text = "unknown CURVE key";
        }
      } else {
        text = "only CURVE clients with a known key";
      }
      if (status == "200") {
        ++m_accepted;
      } else {
        ++m_refused;
        log::warn("ZeroMQ client refused",
                  {{"address", address}, {"mechanism", mechanism}, {"why", text}});
      }
      const std::string request_id = frames.size() > 1 ? frames[1].to_string() : "";
      m_socket.send(zmq::buffer(std::string_view("1.0")), zmq::send_flags::sndmore);
      m_socket.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
      m_socket.send(zmq::buffer(status), zmq::send_flags::sndmore);
      m_socket.send(zmq::buffer(text), zmq::send_flags::sndmore);
      m_socket.send(zmq::buffer(user), zmq::send_flags::sndmore);
      m_socket.send(zmq::message_t(), zmq::send_flags::none);
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) return;
      log::warn("ZAP handler error", {{"error", e.what()}});
    }
  }
}

}  // namespace fulfil::aftersale
