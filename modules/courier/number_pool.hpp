#pragma once
#include <map>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::courier {

// What an import did.
struct PoolImport {
  std::int64_t added = 0;
  std::int64_t duplicates = 0;  // numbers the pool already had (ignored)
};

// Numbers left and handed out per courier.
struct PoolLevel {
  std::string courier;
  std::int64_t free = 0, used = 0, void_ = 0;
};

// The offline number pool (导入单号): pre-printed waybill numbers per courier, handed out
// in import order, each exactly once (SKIP LOCKED on PostgreSQL, the writer lock on SQLite).
class NumberPool {
 public:
  explicit NumberPool(store::Connection& c) : m_conn(c) {}
  // Adds a range "ZT1000000001-ZT1000005000" (same prefix, numeric tail of equal width) or
  // a list of numbers (one per line). Bad input is refused whole, naming the line.
  Result<PoolImport> import_range(const std::string& courier, const std::string& range,
                                  UnixSeconds now);
  Result<PoolImport> import_list(const std::string& courier, std::string_view text,
                                 UnixSeconds now);
  // Takes one free number of `courier` for each of these parcels, in import order, inside
  // the caller's transaction (the waybill records which parcel got which). Returns the
  // numbers given (fewer when the pool runs dry).
  std::vector<std::string> take(const std::string& courier,
                                const std::vector<std::int64_t>& parcel_ids, UnixSeconds now);
  // A number whose parcel will not ship: never handed out again (it may be printed).
  void void_number(const std::string& courier, const std::string& number);
  Result<std::vector<PoolLevel>> levels();

 private:
  Result<PoolImport> add(const std::string& courier, const std::vector<std::string>& numbers,
                         UnixSeconds now);
  store::Connection& m_conn;
};

}  // namespace fulfil::courier
