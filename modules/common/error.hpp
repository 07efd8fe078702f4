#pragma once
#include <expected>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fulfil {

// What kind of failure an Error is; retry logic decides on the kind, never on the text.
enum class ErrorKind {
  invalid_input,  // bad data from outside (platform, CSV, config, HTTP client): do not retry
  not_found,      // the thing asked for does not exist
  conflict,       // the thing changed meanwhile (stale version, another state): reload, retry
  forbidden,      // this actor may not do this (not their claim, not their role)
  network,        // connection refused/reset, truncated body: retry with backoff
  timeout,        // no answer in time: retry with backoff
  rate_limited,   // the remote side asked us to slow down: retry after a longer pause
  remote_retry,   // the remote side failed on its own (TOP isp.*, 5xx): retry later
  remote_reject,  // the remote side says our request is wrong (TOP isv.*): do not retry blindly
  auth,           // credentials or session invalid: alert a person, do not retry
  storage,        // the database failed
  config,         // configuration is wrong
  cancelled,      // shutdown asked us to stop
  internal,       // a bug
};

// Name of the kind as used in logs and API answers ("rate_limited").
std::string_view to_string(ErrorKind kind);

// True for kinds where trying the same call again later can succeed.
bool is_retryable(ErrorKind kind);

// One failure: its kind and a message that names what and where.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};

// Prefixes context to an error message ("shop demo: " + message), keeping the kind.
Error with_context(Error error, std::string_view context);

template <class T>
using Result = std::expected<T, Error>;

// Shorthand for returning a failure: `return fail(ErrorKind::network, "...")`.
inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error{kind, std::move(message)});
}

// Thrown only where an Error must cross a boundary that cannot return one (start-up);
// caught in one place in the daemon.
struct FatalError : std::runtime_error {
  explicit FatalError(Error e) : std::runtime_error(e.message), error(std::move(e)) {}
  Error error;
};

}  // namespace fulfil
