#pragma once
#include <span>
#include <vector>

#include "orders/trade.hpp"
#include "store/database.hpp"

namespace fulfil::store {

// A quarantined record as stored.
struct QuarantineEntry {
  std::int64_t id = 0;
  orders::Rejection rejection;
  std::string source;
  UnixSeconds at = 0;
};

// Input that could not be accepted, kept whole so a person can look at it and nothing is
// silently dropped.
class QuarantineRepository {
 public:
  explicit QuarantineRepository(Connection& c) : m_conn(c) {}
  // Inside the caller's transaction; throws on DB error.
  void add(std::span<const orders::Rejection> rejections, std::string_view source, UnixSeconds now);
  Result<std::vector<QuarantineEntry>> recent(int limit);
  Result<std::int64_t> count();

 private:
  Connection& m_conn;
};

}  // namespace fulfil::store
