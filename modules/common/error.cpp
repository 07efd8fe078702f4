#include "common/error.hpp"

namespace fulfil {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input:
      return "invalid_input";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::network:
      return "network";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::rate_limited:
      return "rate_limited";
    case ErrorKind::remote_retry:
      return "remote_retry";
    case ErrorKind::remote_reject:
      return "remote_reject";
    case ErrorKind::auth:
      return "auth";
    case ErrorKind::storage:
      return "storage";
    case ErrorKind::config:
      return "config";
    case ErrorKind::cancelled:
      return "cancelled";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

bool is_retryable(ErrorKind kind) {
  return kind == ErrorKind::network || kind == ErrorKind::timeout ||
         kind == ErrorKind::rate_limited || kind == ErrorKind::remote_retry ||
         kind == ErrorKind::storage;
}

Error with_context(Error error, std::string_view context) {
  error.message = std::string(context) + ": " + error.message;
  return error;
}

}  // namespace fulfil
