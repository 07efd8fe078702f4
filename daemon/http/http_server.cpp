#include "http/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include "common/log.hpp"

namespace fulfil::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

std::string json_error(std::string_view code, std::string_view message) {
  boost::json::object o;
  o["code"] = code;
  o["message"] = message;
  return boost::json::serialize(o);
}

Result<std::pair<std::string, unsigned short>> split_host_port(std::string_view s) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= s.size())
    return fail(ErrorKind::config, "\"" + std::string(s) + "\": expected host:port");
  std::string host(s.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  for (char c : s.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535)
      return fail(ErrorKind::config, "\"" + std::string(s) + "\": bad port");
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port > 65535) return fail(ErrorKind::config, "\"" + std::string(s) + "\": bad port");
  return std::pair{host, static_cast<unsigned short>(port)};
}

Result<std::pair<std::string, unsigned short>> parse_listen_address(std::string_view s) {
  auto hp = split_host_port(s);
  if (!hp) return hp;
  if (hp->first == "localhost") hp->first = "127.0.0.1";
  boost::system::error_code ec;
  (void)asio::ip::make_address(hp->first, ec);
  if (ec)
    return fail(ErrorKind::config, "\"" + std::string(s) +
                                       "\": the host must be an IP address (127.0.0.1, 0.0.0.0, "
                                       "[::1]) or localhost");
  return hp;
}

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

Request to_request(const bhttp::request<bhttp::string_body>& req, std::string remote) {
  Request out;
  // HEAD is GET without the body (the server drops it when writing): every GET route
  // answers HEAD the same, headers and Content-Length included.
  out.method = req.method() == bhttp::verb::head ? "GET" : std::string(req.method_string());
  out.target = std::string(req.target());
  out.body = req.body();
  if (auto it = req.find(bhttp::field::content_type); it != req.end())
    out.content_type = std::string(it->value());
  if (auto it = req.find(bhttp::field::host); it != req.end()) out.host = std::string(it->value());
  if (auto it = req.find(bhttp::field::cookie); it != req.end())
    out.cookie = std::string(it->value());
  if (auto it = req.find(bhttp::field::authorization); it != req.end())
    out.authorization = std::string(it->value());
  if (auto it = req.find("X-CSRF-Token"); it != req.end()) out.csrf = std::string(it->value());
  if (auto it = req.find("X-Real-IP"); it != req.end()) out.real_ip = std::string(it->value());
  out.remote = std::move(remote);
  auto url = boost::urls::parse_origin_form(out.target);
  if (url) {
    out.path = std::string(url->path());
    for (auto param : url->params()) out.query[std::string(param.key)] = std::string(param.value);
  } else {
    out.path = out.target.substr(0, out.target.find('?'));
  }
  return out;
}

}  // namespace

Result<Request> parse_request(std::string_view raw, std::size_t body_limit, std::string remote) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(body_limit);
  parser.eager(true);
  beast::error_code ec;
  while (!ec && !raw.empty() && !parser.is_done()) {
    const auto used = parser.put(asio::buffer(raw.data(), raw.size()), ec);
    raw.remove_prefix(used);
    if (ec == bhttp::error::need_more) {
      ec = {};
      break;  // the bytes end mid-request: the end of input says whether that is enough
    }
    if (used == 0) break;
  }
  // Beast asserts that end of input comes after some bytes (the server never calls it sooner).
  if (!ec && !parser.got_some()) return fail(ErrorKind::invalid_input, "HTTP request: no bytes");
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec) return fail(ErrorKind::invalid_input, "HTTP request: " + ec.message());
  if (!parser.is_done()) return fail(ErrorKind::invalid_input, "HTTP request: incomplete");
  return to_request(parser.get(), std::move(remote));
}

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io, Handler h, ServerOptions o)
      : io(io), acceptor(io), handler(std::move(h)), options(o) {}
  asio::io_context& io;
  tcp::acceptor acceptor;
  Handler handler;
  ServerOptions options;

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](beast::error_code ec,
                                                                             tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
      if (!ec) {
        if (self->options.tls)
          std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), *self->options.tls),
                                               self)
              ->handshake();
        else
          std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), self)
              ->read();
        self->accept();
        return;
      }
      self->accept_later(ec);
    });
  }

  // An accept that failed (no file descriptors left, no memory) fails again at once: wait a
  // little instead of spinning a core, and say so once a second at most.
  void accept_later(const beast::error_code& ec) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_accept_error >= std::chrono::seconds(1)) {
      last_accept_error = now;
      log::error("http accept failed; retrying in 100 ms", {{"error", ec.message()}});
    }
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(100));
    timer->async_wait([self = shared_from_this(), timer](beast::error_code wait) {
      if (!wait && self->acceptor.is_open()) self->accept();
    });
  }
  std::chrono::steady_clock::time_point last_accept_error{};

  // One connection: beast::tcp_stream, or TlsStream over it.
  template <class Stream>
  struct Session : std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool k_tls = std::is_same_v<Stream, TlsStream>;
    using std::enable_shared_from_this<Session<Stream>>::shared_from_this;
    Session(Stream s, std::shared_ptr<Impl> server)
        : stream(std::move(s)), server(std::move(server)) {}
    Stream stream;
    std::shared_ptr<Impl> server;
    beast::flat_buffer buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser;
    std::shared_ptr<std::string> raw;  // for truncated fault answers
    bool head_request = false;         // the answer carries headers only

    beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

    // TLS first: a client that does not finish its handshake in time is dropped.
    void handshake() {
      if constexpr (k_tls) {
        tcp().expires_after(server->options.idle_timeout);
        stream.async_handshake(asio::ssl::stream_base::server,
                               [self = shared_from_this()](beast::error_code ec) {
                                 if (ec) return self->close();
                                 self->read();
                               });
      }
    }

    void read() {
      parser.emplace();
      parser->body_limit(server->options.body_limit);
      tcp().expires_after(server->options.idle_timeout);
      bhttp::async_read(
          stream, buffer, *parser,
          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == asio::error::connection_reset || ec == asio::error::eof ||
          ec == asio::ssl::error::stream_truncated) {
        close();
        return;
      }
      if (ec) {
        Response r;
        r.status = ec == bhttp::error::body_limit ? 413 : 400;
        r.body = json_error(r.status == 413 ? "too_large" : "bad_request", ec.message());
        write(std::move(r), false);
        return;
      }
      auto req = parser->release();
      const bool keep_alive = req.keep_alive();
      head_request = req.method() == bhttp::verb::head;
      beast::error_code peer_error;
      const auto peer = tcp().socket().remote_endpoint(peer_error);
      std::string remote = peer_error ? "" : peer.address().to_string();
      auto handle = [self = shared_from_this(), req = std::move(req), keep_alive,
                     remote = std::move(remote)]() mutable {
        Response r;
        try {
          auto request = to_request(req, std::move(remote));
          request.secure = k_tls;
          r = self->server->handler(std::move(request));
        } catch (const std::exception& e) {
          log::error("http handler failed",
                     {{"target", std::string(req.target())}, {"error", e.what()}});
          r = Response{500, "application/json; charset=utf-8", json_error("internal", e.what())};
        }
        asio::post(self->stream.get_executor(), [self, r = std::move(r), keep_alive]() mutable {
          self->respond(std::move(r), keep_alive);
        });
      };
      if (server->options.handler_pool)
        asio::post(*server->options.handler_pool, std::move(handle));
      else
        handle();
    }

    void respond(Response r, bool keep_alive) {
      if (r.delay.count() > 0) {
        auto timer = std::make_shared<asio::steady_timer>(stream.get_executor(), r.delay);
        r.delay = {};
        timer->async_wait(
            [self = shared_from_this(), timer, r = std::move(r),
             keep_alive](beast::error_code) mutable { self->respond(std::move(r), keep_alive); });
        return;
      }
      if (r.drop_connection) {
        close();
        return;
      }
      write(std::move(r), keep_alive);
    }

    void write(Response r, bool keep_alive) {
      if (r.truncate_to && *r.truncate_to < r.body.size()) {
        raw = std::make_shared<std::string>("HTTP/1.1 " + std::to_string(r.status) +
                                            " OK\r\nContent-Type: " + r.content_type +
                                            "\r\nContent-Length: " + std::to_string(r.body.size()) +
                                            "\r\n\r\n" + r.body.substr(0, *r.truncate_to));
        asio::async_write(
            stream, asio::buffer(*raw),
            [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
        return;
      }
      auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
          static_cast<bhttp::status>(r.status), 11);
      res->set(bhttp::field::server, "fulfild");
      res->set(bhttp::field::content_type, r.content_type);
      for (auto& [k, v] : r.headers) res->set(k, v);
      res->keep_alive(keep_alive);
      res->body() = std::move(r.body);
      res->prepare_payload();
      if (head_request) res->body().clear();  // Content-Length still says what GET sends
      bhttp::async_write(stream, *res,
                         [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                           if (ec || !res->keep_alive())
                             self->close();
                           else
                             self->read();
                         });
    }

    void close() {
      beast::error_code ignored;
      tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
      tcp().socket().close(ignored);
    }
  };
};

HttpServer::HttpServer(asio::io_context& io, Handler handler, ServerOptions options)
    : m_impl(std::make_shared<Impl>(io, std::move(handler), options)) {}

HttpServer::~HttpServer() {
  stop();
}

Result<unsigned short> HttpServer::listen(const std::string& address, unsigned short port) {
  beast::error_code ec;
  auto addr = asio::ip::make_address(address, ec);
  if (ec) return fail(ErrorKind::config, "listen address \"" + address + "\": " + ec.message());
  tcp::endpoint ep(addr, port);
  auto& a = m_impl->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorKind::config,
                "cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
  m_impl->accept();
  return a.local_endpoint().port();
}

Result<std::shared_ptr<asio::ssl::context>> server_tls_context(const std::string& cert_file,
                                                               const std::string& key_file) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  beast::error_code ec;
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec)
    return fail(ErrorKind::config, "http.tls_cert: cannot use " + cert_file + ": " + ec.message());
  ctx->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) {
    // A key that loads on its own but not beside the certificate belongs to another one.
    asio::ssl::context alone(asio::ssl::context::tls_server);
    beast::error_code alone_ec;
    alone.use_private_key_file(key_file, asio::ssl::context::pem, alone_ec);
    if (!alone_ec)
      return fail(ErrorKind::config,
                  "http.tls_key: " + key_file + " is not the key of the certificate " + cert_file);
    return fail(ErrorKind::config, "http.tls_key: cannot use " + key_file + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    return fail(ErrorKind::config,
                "http.tls_key: " + key_file + " is not the key of the certificate " + cert_file);
  return ctx;
}

void HttpServer::stop() {
  if (!m_impl) return;
  asio::post(m_impl->io, [impl = m_impl] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
}

}  // namespace fulfil::http
