#pragma once
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/http_server.hpp"
#include "sim_server.hpp"

namespace fulfil::sim {

struct Kuaidi100Faults {
  int http_500_every = 0;  // HTTP 500 on every Nth request
  int busy_every = 0;      // returnCode 502 (busy) on every Nth
  int truncate_every = 0;  // the answer cut in half on every Nth
  int latency_ms = 0;
};

// Kuaidi100 on 127.0.0.1: POST /poll/query.do checks customer and sign (UPPER(MD5(param +
// key + customer))) and answers a shipment's route newest first (500 "no result yet" for a
// number it does not know, 400 for an unknown company, 408 when SF's phone check fails);
// POST /poll records a subscription (501 when already subscribed); push() sends the
// callback a subscription asked for, signed with its salt.
class Kuaidi100Simulator {
 public:
  Kuaidi100Simulator(std::string customer, std::string key);
  ~Kuaidi100Simulator();
  unsigned short start();
  std::string url() const;  // base URL, as configured
  void set_faults(const Kuaidi100Faults& f);
  // The route so far of a shipment: Kuaidi100 state code and an event (now, minus
  // `minutes_ago`). Events accumulate; the state is the latest given.
  void add_event(const std::string& com, const std::string& number, int state,
                 const std::string& context, int minutes_ago = 0, std::string phone = "");
  // POSTs the callback for `number` to `url` (the subscription's callbackurl when empty),
  // signed with the subscription's salt (or `salt` when given). Returns HTTP status and body.
  std::pair<int, std::string> push(const std::string& number, std::string url = "",
                                   std::string salt = "");
  struct Subscription {
    std::string company, callback_url, salt;
  };
  std::map<std::string, Subscription> subscriptions() const;
  std::int64_t queries() const { return m_queries.load(); }

 private:
  struct Route {
    std::string com, phone;
    int state = 0;
    struct Event {
      long long at;
      std::string context;
      int state;
    };
    std::vector<Event> events;
  };
  http::Response handle(const http::Request& req);
  std::string answer_json(const Route& r, const std::string& number) const;
  std::string m_customer, m_key;
  mutable std::mutex m_mutex;
  Kuaidi100Faults m_faults;
  std::map<std::string, Route> m_routes;
  std::map<std::string, Subscription> m_subscriptions;
  std::atomic<std::int64_t> m_requests{0}, m_queries{0};
  // Last, so it stops (and its thread ends) before the state its handler reads goes.
  SimServer m_server{[this](const http::Request& r) { return handle(r); }};
};

}  // namespace fulfil::sim
