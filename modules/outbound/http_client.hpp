#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil::outbound {

// One POST to an outside system.
struct HttpRequest {
  std::string url;
  std::string content_type;
  std::string body;
  // Whose circuit breaker this call counts for ("courier:SF", "top:demo"); empty means the
  // URL's host.
  std::string peer;
  // True when sending it twice does no harm (a query, or a create keyed by an idempotency
  // key the remote side honours). Only such requests are resent after a timeout or a reset,
  // when the first copy may have arrived; any request is resent when it never left.
  bool resend_safe = false;
  // When set, every resend sends a body made afresh (a new request id, timestamp and
  // signature) instead of the same bytes: for protocols that refuse a repeated request id
  // (SF's A1007). Called on the client's thread.
  std::function<std::string()> fresh_body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;  // the server's Retry-After, if any
  int attempts = 1;                                 // how many sends it took
};

using HttpCallback = std::function<void(Result<HttpResponse>)>;

struct RetrySettings {
  int max_attempts = 3;  // per request, inside the client; callers may retry more slowly
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{5000};
};

struct BreakerSettings {
  int failures_to_open = 5;  // consecutive failed calls to one peer
  std::chrono::milliseconds open_for{30000};
};

struct HttpSettings {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{30000};  // libcurl has none by default
  std::size_t max_body_bytes = 64 * 1024 * 1024;   // an absurd answer is an error, not OOM
  std::string user_agent = "fulfild/0.1";
  long max_per_host = 64;  // connections in flight to one host; more requests queue
  RetrySettings retry;
  BreakerSettings breaker;
};

// Outbound HTTP, injected so that every client can be pointed at a simulator. Transport
// failures come back as network or timeout errors; any HTTP status is a successful Result
// (the caller judges it).
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends the request; `done` is called exactly once, on the client's own thread, so it
  // must not block.
  virtual void start(HttpRequest request, HttpCallback done) = 0;
  // Sends and waits for the answer. Never call it from the client's own thread.
  Result<HttpResponse> post(HttpRequest request);
  Result<HttpResponse> post(const std::string& url, std::string_view content_type,
                            std::string_view body);
  // The peer answered but refused our credentials or permissions (SF A1006, an invalid
  // session): its breaker opens at once with the reason, for /healthz. No-op by default.
  virtual void refused(const std::string& peer, const std::string& reason) {
    (void)peer;
    (void)reason;
  }
};

// The error an HTTP status means for a protocol whose good answers come with 200: 429 is a
// rate limit, 5xx the remote side's failure, anything else but 200 a rejection. Empty for
// 200. `what` names the call ("EXP_RECE_CREATE_ORDER").
std::optional<Error> status_error(const HttpResponse& response, std::string_view what);

}  // namespace fulfil::outbound
