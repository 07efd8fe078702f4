#pragma once
#include <string>
#include <vector>

#include "csvimport/csv_columns.hpp"
#include "csvimport/csv_reader.hpp"
#include "orders/trade.hpp"

namespace fulfil::csvimport {

// A row that could not be imported: where and why.
struct BadRow {
  int line = 0;
  std::string reason;
};

// Trades built from the rows of a file, and the rows refused. A trade with one bad row is
// refused whole (its other rows are reported too): half an order is worse than none.
struct ParsedRows {
  std::vector<orders::Trade> trades;
  std::vector<BadRow> bad_rows;
  std::vector<orders::Rejection> rejections;  // the same refusals, for the quarantine
};

// Turns data records (header excluded) into trades for `shop`.
ParsedRows parse_rows(const std::vector<CsvRecord>& records, const ColumnMap& columns,
                      const std::string& shop);

// Reads CSV time text: "2026-11-11 00:05:09", "2026/11/11 0:05" (as Excel rewrites it),
// or a bare date; Asia/Shanghai.
Result<UnixSeconds> parse_csv_time(std::string_view text);

// Maps the platform export's Chinese statuses (买家已付款，等待卖家发货 ...) to API codes;
// API codes pass through. Empty means paid, waiting to ship.
std::optional<std::string> normalise_status(std::string_view text);

}  // namespace fulfil::csvimport
