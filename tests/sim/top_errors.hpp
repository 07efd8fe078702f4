#pragma once
#include <string>
#include <string_view>

#include "http/http_server.hpp"
#include "trade_generator.hpp"

namespace fulfil::sim {

// The TOP gateway's error envelope, which comes with HTTP 200.
inline http::Response top_error(int code, std::string_view msg, std::string_view sub_code = {},
                                std::string_view sub_msg = {}) {
  std::string body = "{\"error_response\":{\"code\":" + std::to_string(code) + ",\"msg\":";
  append_json_string(body, msg);
  if (!sub_code.empty()) {
    body += ",\"sub_code\":";
    append_json_string(body, sub_code);
    body += ",\"sub_msg\":";
    append_json_string(body, sub_msg);
  }
  body += ",\"request_id\":\"sim\"}}";
  return {200, "application/json;charset=UTF-8", body};
}

}  // namespace fulfil::sim
