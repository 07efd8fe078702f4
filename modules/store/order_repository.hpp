#pragma once
#include <span>
#include <string_view>

#include "common/clock.hpp"
#include "orders/trade.hpp"
#include "store/bulk_writer.hpp"
#include "store/database.hpp"

namespace fulfil::store {

// What one batch did to the store.
struct UpsertReport {
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;    // not newer than what is stored (seen twice, or moved between pages)
  int entered = 0;      // got a serial: entered the warehouse
  int intercepted = 0;  // pulled out of the warehouse (closed or refunded after entry)
  UpsertReport& operator+=(const UpsertReport& o);
};

// Writes trades, their lines and their history. Idempotent: a trade is keyed by tid and a
// newer `modified` wins, so replaying a page or a file changes nothing.
class OrderRepository {
 public:
  OrderRepository(Connection& c, const Clock& clock) : m_conn(c), m_clock(clock), m_writer(c) {}

  // Stores a batch inside the caller's write transaction (see in_transaction). `actor` is
  // who caused it ("sync:demo", "csv:orders.csv") and goes into the event history.
  // Throws on database errors.
  UpsertReport upsert(std::span<const orders::Trade> trades, std::string_view actor);

 private:
  std::int64_t reserve_serials(int yymmdd, std::int64_t count);
  Connection& m_conn;
  const Clock& m_clock;
  BulkWriter m_writer;
};

}  // namespace fulfil::store
