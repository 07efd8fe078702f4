#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/error.hpp"

namespace fulfil::http {

struct Request {
  std::string method;  // "GET", "POST"
  std::string target;  // path and query as sent
  std::string path;    // decoded path without query
  std::map<std::string, std::string> query;
  std::string content_type;
  std::string body;
  std::string host;           // the Host header as sent (empty when there was none)
  std::string cookie;         // the Cookie header as sent
  std::string authorization;  // the Authorization header as sent
  std::string csrf;           // the X-CSRF-Token header as sent
  std::string remote;         // the client's IP address
  std::string real_ip;        // the X-Real-IP header as sent (by a proxy in front)
  bool secure = false;        // it came over TLS (cookies are then marked Secure)
  // Who is acting and their roles (identity::StaffRoles): set by the API once it has
  // authenticated the request, never taken from a header.
  std::string user;
  unsigned roles = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;
  // Fault injection for simulators: wait before answering, cut the body short after this
  // many bytes (Content-Length still says the whole), or drop the connection unanswered.
  std::chrono::milliseconds delay{0};
  std::optional<std::size_t> truncate_to;
  bool drop_connection = false;
};

// Takes the request whole (moved in): the router annotates it without copying a large body.
using Handler = std::function<Response(Request)>;

struct ServerOptions {
  std::size_t body_limit = 8 * 1024 * 1024;
  // How long a connection may take to send its next request; an idle keep-alive connection
  // is closed after it (it holds a file descriptor and memory meanwhile).
  std::chrono::seconds idle_timeout{15};
  // When set, handlers run here (they may block on the database) and answers go back to
  // the connection; when null, handlers run on the I/O thread and must not block.
  boost::asio::thread_pool* handler_pool = nullptr;
  // When set, every connection speaks TLS (the handshake must finish within idle_timeout);
  // a client speaking plain HTTP to it gets nothing.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

// A server TLS context (TLS 1.2 and later) from PEM files: the certificate chain and its
// private key; a config error naming the file that cannot be read or the key that does not
// match the certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> server_tls_context(const std::string& cert_file,
                                                                      const std::string& key_file);

// An HTTP/1.1 server on Boost.Beast with keep-alive, plain or over TLS. Bad requests get a 400 with
// a JSON error; oversized bodies a 413; a handler that throws a 500; the server keeps serving.
class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Handler handler, ServerOptions options = {});
  ~HttpServer();
  // Binds and starts accepting; port 0 picks a free port. Returns the bound port.
  Result<unsigned short> listen(const std::string& address, unsigned short port);
  // Stops accepting new connections (open ones finish their current request).
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> m_impl;
};

// Splits "host:port" ("127.0.0.1:8080", "[::1]:8080").
Result<std::pair<std::string, unsigned short>> split_host_port(std::string_view s);

// A listen address: "IP:port" ("127.0.0.1:8080", "0.0.0.0:8080", "[::1]:8080"; port 0 picks
// a free one); "localhost" stands for 127.0.0.1. Anything else is a config error that says
// what is wrong with it.
Result<std::pair<std::string, unsigned short>> parse_listen_address(std::string_view s);

// A JSON error body {"code":..., "message":...}.
std::string json_error(std::string_view code, std::string_view message);

// One request's bytes as a client sends them, read by the server's own parser (at most
// `body_limit` bytes of body) into what a handler gets: for the fuzzers and tests that
// start from raw bytes. Bad or incomplete bytes are invalid_input.
Result<Request> parse_request(std::string_view raw, std::size_t body_limit, std::string remote);

}  // namespace fulfil::http
