#pragma once
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <thread>

#include "outbound/circuit_breaker.hpp"
#include "outbound/http_client.hpp"

namespace fulfil::outbound {

// The one HTTP client of the daemon: a libcurl multi handle driven by an Asio event loop
// (curl tells which sockets to watch and when to wake; Asio watches). Many requests run at
// once over kept-alive connections; each has connect and total timeouts; failures that
// retrying can fix are retried inside with capped, jittered backoff (honouring
// Retry-After); and each peer has a circuit breaker. start() may be called from any
// thread; answers are delivered on the loop's thread.
class CurlMultiClient final : public HttpClient {
 public:
  CurlMultiClient(boost::asio::io_context& io, HttpSettings settings);
  // Closes everything; when the loop still runs, waits for it to do so (so never destroy
  // it on the loop's thread while the loop runs).
  ~CurlMultiClient() override;
  CurlMultiClient(const CurlMultiClient&) = delete;
  CurlMultiClient& operator=(const CurlMultiClient&) = delete;

  void start(HttpRequest request, HttpCallback done) override;
  void refused(const std::string& peer, const std::string& reason) override;
  const CircuitBreakers& breakers() const;
  // Asks the loop to fail every request in flight with `cancelled` and to refuse new ones
  // (a daemon shutting down). Returns at once.
  void shutdown();

 private:
  struct Impl;
  std::shared_ptr<Impl> m_impl;
};

// A CurlMultiClient with an event loop on a thread of its own: for command-line tools,
// tests and benchmarks, where no daemon loop runs.
class OwnedHttpClient final : public HttpClient {
 public:
  explicit OwnedHttpClient(HttpSettings settings = {});
  ~OwnedHttpClient() override;
  void start(HttpRequest request, HttpCallback done) override;
  void refused(const std::string& peer, const std::string& reason) override;
  const CircuitBreakers& breakers() const;

 private:
  using Work = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::unique_ptr<boost::asio::io_context> m_io;
  std::unique_ptr<Work> m_work;
  std::unique_ptr<CurlMultiClient> m_client;
  std::thread m_thread;
};

}  // namespace fulfil::outbound
