// CSV files of orders: the bytes as an upload or the inbox reads them (UTF-8 or GB18030,
// BOM, quotes, CRLF), the header mapped (both layouts and the export pair's halves), and
// every row parsed into trades or bad rows naming their lines.
#include "csvimport/csv_columns.hpp"
#include "csvimport/csv_reader.hpp"
#include "csvimport/csv_row_parser.hpp"
#include "fuzz_support.hpp"

using namespace fulfil;
using namespace fulfil::csvimport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto records = read_upload(bytes, "fuzz.csv");
  if (!records || records->empty()) return 0;
  auto columns = map_header(records->front().fields);
  if (!columns) return 0;
  const std::vector<CsvRecord> rows(records->begin() + 1, records->end());
  const auto parsed = parse_rows(rows, *columns, "fuzz-shop");
  for (const auto& bad : parsed.bad_rows)
    if (bad.line < 1) __builtin_trap();  // every refused row names its line
  return 0;
}
