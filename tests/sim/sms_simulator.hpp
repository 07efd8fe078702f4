#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "http/http_server.hpp"
#include "sim_server.hpp"

namespace fulfil::sim {

struct SmsFaults {
  int http_500_every = 0;      // HTTP 500 on every Nth request
  int system_error_every = 0;  // Code isp.SYSTEM_ERROR on every Nth SendSms
  int drop_after_every = 0;    // every Nth SendSms is sent, but its answer is lost
  int truncate_every = 0;      // every Nth SendSms is sent, its answer cut short
  int latency_ms = 0;
};

// Alibaba Cloud's SMS gateway (../shared/specs/sms.md) on 127.0.0.1: GET or POST / with the
// RPC parameters. It checks the signature (HMAC-SHA1 with the account's secret), the
// AccessKeyId, a nonce not seen in 15 minutes and a Timestamp within 15 minutes of its clock;
// SendSms checks the number, the signature name, the template code and its parameters, and
// keeps the per-number limits (1 a minute, 5 an hour, 10 a day per number and signature);
// QuerySendDetails answers receipts (every accepted message is delivered).
class SmsSimulator {
 public:
  struct Message {
    std::string biz_id, phone, sign_name, template_code, template_param, out_id;
    UnixSeconds at = 0;
  };
  SmsSimulator(
      std::string access_key_id, std::string secret, std::set<std::string> sign_names,
      std::set<std::string> template_codes,
      std::function<UnixSeconds()> now = [] { return SystemClock().now(); });
  unsigned short start();
  std::string url() const { return m_server.base() + "/"; }
  unsigned short port() const { return m_server.port(); }
  void set_faults(const SmsFaults& f);
  std::vector<Message> messages() const;  // every message accepted, in order
  std::int64_t requests() const { return m_requests.load(); }
  // Requests refused because their nonce had been used (a client resending the same bytes).
  std::int64_t repeated_nonces() const { return m_repeated_nonces.load(); }

 private:
  http::Response handle(const http::Request& req);
  http::Response send(const std::map<std::string, std::string>& p, UnixSeconds now);
  http::Response query(const std::map<std::string, std::string>& p);
  std::string m_key_id, m_secret;
  std::set<std::string> m_sign_names, m_template_codes;
  std::function<UnixSeconds()> m_now;
  mutable std::mutex m_mutex;
  SmsFaults m_faults;
  std::map<std::string, UnixSeconds> m_nonces;
  std::vector<Message> m_messages;
  std::atomic<std::int64_t> m_requests{0}, m_sends{0}, m_repeated_nonces{0};
  SimServer m_server{[this](const http::Request& r) { return handle(r); }};
};

}  // namespace fulfil::sim
