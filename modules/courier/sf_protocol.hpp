#pragma once
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil::courier::sf {

// Java's URLEncoder, which SF's digest is defined on: A-Z a-z 0-9 . - * _ unchanged,
// space -> '+', every other byte -> %XX (upper-case hex).
std::string java_url_encode(std::string_view text);

// msgDigest = Base64(MD5_raw(java_url_encode(msgData + timestamp + checkWord))).
std::string msg_digest(std::string_view msg_data, std::string_view timestamp,
                       std::string_view check_word);

// The envelope every SF answer comes in, read: apiResultCode A1000 with a business
// `success` gives the business msgData (JSON text); anything else an error whose kind says
// whether to retry (A1005 rate limit, A1009/A1099 remote retry, A1006 auth, ...). Business
// errors say "SF business error 8016: ..." so the caller can act on the code.
struct Answer {
  std::string msg_data;  // the business msgData as JSON text
};
Result<Answer> read_answer(std::string_view body);

// The business error code an error from read_answer carries ("8016"), also under added
// context; empty for other errors.
std::string business_code(const Error& e);

// Whether a create's error means the order may exist already: 8016 (duplicate orderId) or
// A1007 (duplicate request). Either is settled by searching the order, never by failing.
bool may_exist(const Error& e);

// A fresh requestID: a random UUID (36 characters; SF allows 40).
std::string request_id();

}  // namespace fulfil::courier::sf
