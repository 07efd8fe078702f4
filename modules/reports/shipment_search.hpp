#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::reports {

// One parcel a search found, with what customer service tells the buyer from.
struct FoundParcel {
  std::int64_t parcel_id = 0;
  std::string serial, state, shop, buyer_nick, receiver_name, city;
  std::vector<std::string> tids;
  std::string courier, waybill_no;  // the live waybill, when it has one
  std::string matched_by;           // "tid", "serial", "waybill", "buyer", "receiver"
};

// Finds parcels from what a buyer or a colleague quotes, in one box: a trade id (tid), a
// warehouse serial (D26111100007), a tracking number, a buyer nick, or a receiver's name
// with the last four digits of their phone ("李强 4321"; the name alone is not enough,
// as many buyers share one). Newest first, at most `limit`.
class ShipmentSearch {
 public:
  explicit ShipmentSearch(store::Connection& c) : m_conn(c) {}
  Result<std::vector<FoundParcel>> find(std::string_view query, int limit = 20);
  // Only which parcels, and by what the query matched (a scanner's lookup needs no more).
  struct Located {
    std::vector<std::int64_t> ids;
    std::string matched_by;
  };
  Result<Located> locate(std::string_view query);

 private:
  // Fills in the parcels of these ids (tids, waybill, receiver) in id order, newest first.
  Result<std::vector<FoundParcel>> parcels(const std::vector<std::int64_t>& ids,
                                           const std::string& matched_by, int limit);
  store::Connection& m_conn;
};

}  // namespace fulfil::reports
