#include "fault_proxy.hpp"

#include "loopback.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <random>

namespace fulfil::sim {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string_view fault_name(Fault f) {
  switch (f) {
    case Fault::none:
      return "none";
    case Fault::stall:
      return "stall";
    case Fault::reset_after_forward:
      return "reset after forward";
    case Fault::slow_drip:
      return "slow drip";
    case Fault::truncate:
      return "truncation";
    case Fault::garbage:
      return "garbage bytes";
  }
  return "?";
}

namespace {

// One client connection and its own connection to the upstream. Each direction reads a
// chunk and writes it before reading the next, so nothing is reordered or buffered twice.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(FaultProxy& proxy, tcp::socket client)
      : m_proxy(proxy),
        m_client(std::move(client)),
        m_upstream(m_client.get_executor()),
        m_timer(m_client.get_executor()),
        m_rng(std::random_device{}()) {}

  void start(const std::string& host, unsigned short port) {
    auto self = shared_from_this();
    tcp::endpoint ep(asio::ip::make_address(host), port);
    m_upstream.async_connect(ep, [self](boost::system::error_code ec) {
      if (ec) return self->close();
      self->read_client();
      self->read_upstream();
    });
  }

 private:
  void read_client() {
    auto self = shared_from_this();
    m_client.async_read_some(
        asio::buffer(m_from_client), [self](boost::system::error_code ec, std::size_t n) {
          if (ec) return self->close();
          if (self->m_stalled) return self->read_client();  // swallowed
          if (!self->m_awaiting_reply) {
            // A new request (not the rest of one the upstream has not answered yet).
            self->m_reply_fault = self->m_proxy.take_fault();
            if (self->m_reply_fault == Fault::stall) {
              self->m_stalled = true;
              self->watch_for_clear();
              return self->read_client();
            }
          }
          self->m_awaiting_reply = true;
          asio::async_write(self->m_upstream, asio::buffer(self->m_from_client, n),
                            [self](boost::system::error_code wec, std::size_t) {
                              if (wec) return self->close();
                              self->read_client();
                            });
        });
  }

  void read_upstream() {
    auto self = shared_from_this();
    m_upstream.async_read_some(asio::buffer(m_from_upstream),
                               [self](boost::system::error_code ec, std::size_t n) {
                                 if (ec) return self->close();
                                 self->m_awaiting_reply = false;
                                 self->answer(n);
                               });
  }

  // Sends the upstream's chunk of n bytes back as the request's fault says.
  void answer(std::size_t n) {
    auto self = shared_from_this();
    switch (m_reply_fault) {
      case Fault::reset_after_forward: {
        boost::system::error_code ignored;
        m_client.set_option(asio::socket_base::linger(true, 0), ignored);  // RST, not FIN
        return close();
      }
      case Fault::truncate:
        return asio::async_write(m_client,
                                 asio::buffer(m_from_upstream, std::max<std::size_t>(n / 2, 1)),
                                 [self](boost::system::error_code, std::size_t) { self->close(); });
      case Fault::garbage: {
        m_garbage.resize(64 + m_rng() % 448);
        for (auto& c : m_garbage) c = static_cast<char>(m_rng());
        return asio::async_write(m_client, asio::buffer(m_garbage),
                                 [self](boost::system::error_code, std::size_t) { self->close(); });
      }
      case Fault::slow_drip:
        m_drip_generation = m_proxy.generation();
        return drip(0, n);
      case Fault::none:
      case Fault::stall:
        return asio::async_write(m_client, asio::buffer(m_from_upstream, n),
                                 [self](boost::system::error_code ec, std::size_t) {
                                   if (ec) return self->close();
                                   self->read_upstream();
                                 });
    }
  }

  // Byte `at` of the chunk's n, one per drip interval (the rest at once after a clear()).
  void drip(std::size_t at, std::size_t n) {
    auto self = shared_from_this();
    if (at == n) return read_upstream();
    const std::size_t count = m_proxy.generation() != m_drip_generation ? n - at : 1;
    asio::async_write(
        m_client, asio::buffer(m_from_upstream + at, count),
        [self, at, n, count](boost::system::error_code ec, std::size_t) {
          if (ec) return self->close();
          self->m_timer.expires_after(std::chrono::milliseconds(self->m_proxy.drip_ms()));
          self->m_timer.async_wait([self, at, n, count](boost::system::error_code tec) {
            if (tec) return;
            self->drip(at + count, n);
          });
        });
  }

  // A stalled connection is closed once the proxy is cleared (the client may also give up).
  void watch_for_clear() { watch_for_clear_since(m_proxy.generation()); }
  void watch_for_clear_since(long generation) {
    auto self = shared_from_this();
    m_timer.expires_after(std::chrono::milliseconds(50));
    m_timer.async_wait([self, generation](boost::system::error_code ec) {
      if (ec || !self->m_client.is_open()) return;
      if (self->m_proxy.generation() != generation) return self->close();
      self->watch_for_clear_since(generation);
    });
  }

  void close() {
    boost::system::error_code ignored;
    m_client.close(ignored);
    m_upstream.close(ignored);
    m_timer.cancel();
  }

  FaultProxy& m_proxy;
  tcp::socket m_client, m_upstream;
  asio::steady_timer m_timer;
  std::minstd_rand m_rng;
  char m_from_client[16384];
  char m_from_upstream[16384];
  std::string m_garbage;
  Fault m_reply_fault = Fault::none;
  bool m_awaiting_reply = false, m_stalled = false;
  long m_drip_generation = 0;
};

}  // namespace

FaultProxy::FaultProxy(std::string upstream_host, unsigned short upstream_port)
    : m_upstream_host(std::move(upstream_host)), m_upstream_port(upstream_port), m_acceptor(m_io) {
  m_port = listen_on_loopback(m_acceptor);
  accept();
  m_thread = std::thread([this] { m_io.run(); });
}

FaultProxy::~FaultProxy() {
  m_io.stop();
  if (m_thread.joinable()) m_thread.join();
}

void FaultProxy::accept() {
  m_acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
    if (!ec)
      std::make_shared<Session>(*this, std::move(s))->start(m_upstream_host, m_upstream_port);
    if (m_acceptor.is_open()) accept();
  });
}

void FaultProxy::inject(Fault fault, int requests) {
  std::lock_guard lock(m_mutex);
  m_fault = fault;
  m_left = requests;
}

void FaultProxy::clear() {
  {
    std::lock_guard lock(m_mutex);
    m_fault = Fault::none;
    m_left = 0;
  }
  ++m_generation;
}

Fault FaultProxy::take_fault() {
  ++m_requests;
  std::lock_guard lock(m_mutex);
  if (m_fault == Fault::none || m_left == 0) return Fault::none;
  if (m_left > 0 && --m_left == 0) {
    const Fault f = m_fault;
    m_fault = Fault::none;
    ++m_struck;
    return f;
  }
  ++m_struck;
  return m_fault;
}

}  // namespace fulfil::sim
