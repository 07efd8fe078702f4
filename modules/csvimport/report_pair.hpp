#pragma once
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "csvimport/csv_columns.hpp"
#include "csvimport/csv_reader.hpp"
#include "store/database.hpp"

namespace fulfil::csvimport {

// A trade that has only one half of the export pair, waiting for the other.
struct WaitingHalf {
  std::int64_t tid = 0;
  std::string has;  // "order report" or "item report"
  std::string file;
  UnixSeconds since = 0;
};

// The platform's export comes as a pair of files (订单报表 and 宝贝报表) that must be joined
// by 订单编号. Each half is kept in csv_halves until its other half arrives, in either
// order; then the trade is put together as if one file had held it.
class ReportPair {
 public:
  explicit ReportPair(store::Connection& c) : m_conn(c) {}
  // Keeps the half rows of a file (a newer file replaces the same half of a trade).
  // Returns the tids touched. Inside the caller's transaction; throws on database errors.
  std::set<std::int64_t> keep(const std::vector<CsvRecord>& records, const ColumnMap& columns,
                              const std::string& shop, const std::string& file, UnixSeconds now);
  // Takes the trades among `tids` whose two halves are both here: their joined records
  // (fields by Column, line numbers from the item report) and the identity column map.
  // The halves are removed. Inside the caller's transaction.
  std::vector<CsvRecord> take_complete(const std::string& shop, const std::set<std::int64_t>& tids);
  // Trades of the shop waiting for their other half since before `before`.
  Result<std::vector<WaitingHalf>> waiting(const std::string& shop, UnixSeconds before);

  // The column map of joined records: field i is Column i.
  static ColumnMap joined_map();

 private:
  store::Connection& m_conn;
};

}  // namespace fulfil::csvimport
