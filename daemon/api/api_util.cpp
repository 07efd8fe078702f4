#include "api/api_util.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/digits.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

http::Response ok(const json::value& v) {
  return {200, "application/json; charset=utf-8", json::serialize(v)};
}

http::Response error(int status, std::string_view code, std::string_view message) {
  return {status, "application/json; charset=utf-8", http::json_error(code, message)};
}

http::Response from_error(const Error& e) {
  switch (e.kind) {
    case ErrorKind::invalid_input:
      return error(400, "bad_request", e.message);
    case ErrorKind::forbidden:
      return error(403, "forbidden", e.message);
    case ErrorKind::not_found:
      return error(404, "not_found", e.message);
    case ErrorKind::conflict:
      return error(409, "conflict", e.message);
    default:
      return error(503, std::string(to_string(e.kind)), e.message);
  }
}

Result<std::int64_t> parse_id(std::string_view text, std::string_view what) {
  auto v = parse_digits(text);
  if (!v)
    return fail(ErrorKind::invalid_input,
                std::string(what) + ": expected a whole number of at most 19 digits (64-bit)");
  return *v;
}

Result<int> int_param(const http::Request& req, const std::string& name, int dflt, int min,
                      int max) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return dflt;
  auto n = parse_digits(it->second);
  if (!n || *n < min || *n > max)
    return fail(ErrorKind::invalid_input,
                name + ": expected " + std::to_string(min) + "-" + std::to_string(max));
  return static_cast<int>(*n);
}

std::optional<http::Response> unknown_parameter(const http::Request& req,
                                                std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : req.query)
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return error(400, "bad_request", "unknown parameter " + k);
  return std::nullopt;
}

Result<int> limit_param(const http::Request& req, int dflt, int max) {
  return int_param(req, "limit", dflt, 1, max);
}

Result<json::object> json_body(const http::Request& req) {
  if (req.body.empty()) return json::object();
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec) return fail(ErrorKind::invalid_input, "body: not JSON (" + ec.message() + ")");
  if (!v.is_object()) return fail(ErrorKind::invalid_input, "body: expected a JSON object");
  return std::move(v.as_object());
}

Result<std::int64_t> int_field(const json::object& o, std::string_view name,
                               std::optional<std::int64_t> dflt) {
  auto it = o.find(name);
  if (it == o.end()) {
    if (dflt) return *dflt;
    return fail(ErrorKind::invalid_input, std::string(name) + ": required");
  }
  // A JSON number, as openapi.yaml says: "2" is text, and is refused like any other text.
  if (it->value().is_int64()) return it->value().as_int64();
  return fail(ErrorKind::invalid_input,
              std::string(name) + ": expected a whole number (a JSON " + "number, not text)");
}

Result<std::string> text_field(const json::object& o, std::string_view name,
                               std::optional<std::string> dflt) {
  auto it = o.find(name);
  if (it == o.end()) {
    if (dflt) return *dflt;
    return fail(ErrorKind::invalid_input, std::string(name) + ": required");
  }
  if (!it->value().is_string())
    return fail(ErrorKind::invalid_input, std::string(name) + ": expected text");
  std::string s(it->value().as_string());
  if (s.size() > 2000)
    return fail(ErrorKind::invalid_input, std::string(name) + ": longer than 2000 bytes");
  // A NUL cuts text short in the store, and control characters have no place in names,
  // SKUs or notes (line breaks and tabs do).
  if (has_control(s, true))
    return fail(ErrorKind::invalid_input,
                std::string(name) + ": holds a control character: \"" + printable(s, 60) + "\"");
  return s;
}

json::object money(Fen fen) {
  return {{"fen", fen}, {"yuan", format_yuan(fen)}};
}

json::value time_or_null(const std::optional<UnixSeconds>& t) {
  return t ? json::value(format_iso_shanghai(*t)) : json::value(nullptr);
}

json::value text_or_null(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

}  // namespace fulfil::daemon::api
