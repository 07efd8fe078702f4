#include "courier/sf_protocol.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <boost/json.hpp>

#include "common/digest.hpp"

namespace fulfil::courier::sf {

namespace json = boost::json;

std::string java_url_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '*' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 15]);
    }
  }
  return out;
}

std::string msg_digest(std::string_view msg_data, std::string_view timestamp,
                       std::string_view check_word) {
  std::string joined(msg_data);
  joined += timestamp;
  joined += check_word;
  return base64(md5_raw(java_url_encode(joined)));
}

Result<Answer> read_answer(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    return fail(ErrorKind::network,
                "SF answer is not JSON (cut short?): " + std::string(body.substr(0, 80)));
  const auto& o = v.as_object();
  auto text = [&](const json::object& from, std::string_view k) -> std::string {
    auto it = from.find(k);
    return it != from.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                       : std::string();
  };
  const std::string code = text(o, "apiResultCode");
  const std::string msg = text(o, "apiErrorMsg");
  if (code != "A1000") {
    const std::string what = "SF " + code + ": " + msg;
    if (code == "A1005") return fail(ErrorKind::rate_limited, what);
    if (code == "A1009" || code == "A1099" || code == "A1002")
      return fail(ErrorKind::remote_retry, what);
    if (code == "A1003" || code == "A1004" || code == "A1006") return fail(ErrorKind::auth, what);
    if (code.empty()) return fail(ErrorKind::network, "SF answer without apiResultCode");
    return fail(ErrorKind::remote_reject, what);
  }
  auto data = json::parse(text(o, "apiResultData"), ec);
  if (ec || !data.is_object()) return fail(ErrorKind::remote_retry, "SF apiResultData is not JSON");
  const auto& d = data.as_object();
  const auto success = d.find("success");
  if (success == d.end() || !success->value().is_bool() || !success->value().as_bool())
    return fail(ErrorKind::remote_reject,
                "SF business error " + text(d, "errorCode") + ": " + text(d, "errorMsg"));
  auto it = d.find("msgData");
  return Answer{it == d.end() ? "{}" : json::serialize(it->value())};
}

std::string business_code(const Error& e) {
  constexpr std::string_view k_mark = "SF business error ";
  auto at = e.message.find(k_mark);
  if (at == std::string::npos) return {};
  auto start = at + k_mark.size();
  auto end = e.message.find(':', start);
  return e.message.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool may_exist(const Error& e) {
  return business_code(e) == "8016" || e.message.find("SF A1007:") != std::string::npos;
}

std::string request_id() {
  thread_local boost::uuids::random_generator generate;
  return boost::uuids::to_string(generate());
}

}  // namespace fulfil::courier::sf
