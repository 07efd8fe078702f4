#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>

#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/money.hpp"
#include "http/http_server.hpp"

namespace fulfil::daemon::api {

// A 200 JSON answer.
http::Response ok(const boost::json::value& v);
// A JSON error {"code","message"} with this status.
http::Response error(int status, std::string_view code, std::string_view message);
// The status an Error maps to: invalid_input 400, forbidden 403, not_found 404, conflict
// 409, anything else 503 (the store or a dependency is failing).
http::Response from_error(const Error& e);

// A whole number of at most 19 digits, or invalid_input naming `what`.
Result<std::int64_t> parse_id(std::string_view text, std::string_view what);

// The query parameter `limit` (default when absent), or a 400 naming it and its range.
Result<int> limit_param(const http::Request& req, int dflt, int max);
// A 400 naming the first query parameter that is not `allowed` (a typo must not silently
// give the default); nullopt when every one is known.
std::optional<http::Response> unknown_parameter(const http::Request& req,
                                                std::initializer_list<std::string_view> allowed);
// A whole-number query parameter in min-max; dflt when it is absent.
Result<int> int_param(const http::Request& req, const std::string& name, int dflt, int min,
                      int max);

// The request body as a JSON object, or invalid_input saying what is wrong.
Result<boost::json::object> json_body(const http::Request& req);
// Fields of a JSON body; each error names the field. A whole number must be a JSON number.
Result<std::int64_t> int_field(const boost::json::object& o, std::string_view name,
                               std::optional<std::int64_t> dflt = std::nullopt);
Result<std::string> text_field(const boost::json::object& o, std::string_view name,
                               std::optional<std::string> dflt = std::nullopt);

// Money as {"fen", "yuan"}; a time as Shanghai ISO text or null.
boost::json::object money(Fen fen);
boost::json::value time_or_null(const std::optional<UnixSeconds>& t);
boost::json::value text_or_null(const std::string& s);

}  // namespace fulfil::daemon::api
