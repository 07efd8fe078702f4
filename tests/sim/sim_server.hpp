#pragma once
#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <thread>

#include "http/http_server.hpp"

namespace fulfil::sim {

// The HTTP side every simulator shares: a server on 127.0.0.1 with an I/O thread of its own
// (answers with a delay are timers on it, so latency costs no thread).
class SimServer {
 public:
  explicit SimServer(http::Handler handler) : m_handler(std::move(handler)) {}
  ~SimServer() { stop(); }
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;
  // Listens (port 0: any free port) and returns the port.
  unsigned short start(unsigned short port = 0) {
    m_server = std::make_unique<http::HttpServer>(m_io, m_handler);
    m_port = *m_server->listen("127.0.0.1", port);
    m_thread = std::thread([this] { m_io.run(); });
    return m_port;
  }
  void stop() {
    if (m_server) m_server->stop();
    m_io.stop();
    if (m_thread.joinable()) m_thread.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  unsigned short port() const { return m_port; }

 private:
  http::Handler m_handler;
  boost::asio::io_context m_io;
  std::unique_ptr<http::HttpServer> m_server;
  std::thread m_thread;
  unsigned short m_port = 0;
};

}  // namespace fulfil::sim
