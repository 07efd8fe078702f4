#pragma once
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "http/http_server.hpp"

namespace fulfil::sim {

// Cainiao's e-waybill service behind the TOP gateway: cainiao.waybill.ii.get issues one
// waybill per object_id (a repeated object_id gets the same waybill again and costs
// nothing), at most 10 orders a call; a recipient without province or street address, or in
// a province set unreachable, is refused for the whole call, as the real service does;
// cainiao.waybill.ii.cancel cancels a waybill it issued. Thread-safe.
class CainiaoWaybills {
 public:
  http::Response get(const std::string& param_json);
  http::Response cancel(const std::string& cp_code, const std::string& waybill_code);
  // Recipients in these provinces are refused (the courier does not serve them).
  void set_unreachable(std::set<std::string> provinces);
  // Waybills ever issued per object_id (must never exceed 1), and cancelled waybills.
  std::map<std::string, int> issued_per_object() const;
  std::set<std::string> cancelled() const;

 private:
  mutable std::mutex m_mutex;
  std::map<std::string, std::string> m_by_object;  // object_id -> waybill code
  std::map<std::string, int> m_issued;
  std::set<std::string> m_cancelled;
  std::set<std::string> m_known;  // every code issued
  std::set<std::string> m_unreachable;
  long long m_next = 730000000001;
};

}  // namespace fulfil::sim
