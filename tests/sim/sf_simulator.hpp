#pragma once
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "http/http_server.hpp"
#include "sim_server.hpp"

namespace fulfil::sim {

// What the SF simulator should do wrong, by counting requests (deterministic).
struct SfSimFaults {
  int http_500_every = 0;    // HTTP 500 on every Nth request
  int rate_limit_every = 0;  // A1005 on every Nth
  int truncate_every = 0;    // the answer cut in half on every Nth
  int drop_after_every = 0;  // the request is carried out, then the connection dropped
  int latency_ms = 0;
};

// SF Express's open platform on 127.0.0.1: checks partnerID, the msgDigest (Java URL
// encoding, MD5, Base64) and the timestamp, and serves EXP_RECE_CREATE_ORDER (a waybill per
// orderId; a repeated orderId is refused with 8016 and costs no waybill; a repeated
// requestID is refused with A1007 before anything is done; receivers in
// `unreachable` provinces get filterResult 3), EXP_RECE_SEARCH_ORDER_RESP (8018 when
// unknown) and EXP_RECE_UPDATE_ORDER (dealType 2 cancels; 8037 when already cancelled).
class SfSimulator {
 public:
  SfSimulator(std::string partner_id, std::string check_word);
  ~SfSimulator();
  unsigned short start();
  std::string url() const;
  void set_faults(const SfSimFaults& f);
  void set_unreachable(std::set<std::string> provinces);
  // Waybills ever issued per orderId (must never exceed 1), and cancelled orders.
  std::map<std::string, int> issued_per_order() const;
  std::set<std::string> cancelled() const;
  // orderId -> the waybill number issued for it.
  std::map<std::string, std::string> orders() const;
  std::int64_t requests() const { return m_requests.load(); }
  // Requests whose requestID had been seen before (each answered A1007, as SF does).
  std::int64_t repeated_request_ids() const { return m_repeated_ids.load(); }

 private:
  http::Response handle(const http::Request& req);
  http::Response serve(const std::map<std::string, std::string>& form);
  std::string m_partner, m_check_word;
  mutable std::mutex m_mutex;
  SfSimFaults m_faults;
  std::set<std::string> m_unreachable{"西藏自治区", "西藏"};
  std::map<std::string, std::string> m_orders;  // orderId -> waybill no
  std::map<std::string, int> m_issued;
  std::set<std::string> m_cancelled;
  std::atomic<std::int64_t> m_requests{0};
  std::set<std::string> m_request_ids;  // every requestID seen (under m_mutex)
  std::atomic<std::int64_t> m_repeated_ids{0};
  std::int64_t m_next_waybill = 100000000001;
  // Last, so it stops (and its thread ends) before the state its handler reads goes.
  SimServer m_server{[this](const http::Request& r) { return handle(r); }};
};

}  // namespace fulfil::sim
