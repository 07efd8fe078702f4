#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "csvimport/csv_row_parser.hpp"
#include "csvimport/report_pair.hpp"
#include "store/database.hpp"
#include "store/order_repository.hpp"

namespace fulfil::csvimport {

// What importing one file did.
struct ImportReport {
  std::string file;
  int rows = 0;
  store::UpsertReport stored;
  std::vector<BadRow> bad_rows;
  bool seen_before = false;  // the same bytes were imported earlier
  FileKind kind = FileKind::full;
  int halves_waiting = 0;  // trades of this half file still waiting for the other half
};

struct ImportOptions {
  // A file with a few undecodable bytes (neither UTF-8 nor GB18030 in some rows): import the
  // rows that read and quarantine the others with their lines, instead of refusing the file.
  bool skip_bad_rows = false;
};

// Imports CSV files of orders into the store.
class CsvImporter {
 public:
  CsvImporter(store::Connection& c, const Clock& clock, ImportOptions options = {})
      : m_conn(c), m_clock(clock), m_options(options) {}
  // Reads, decodes and imports a file for `shop`. A file that cannot be read or has no
  // usable header is an error; bad rows are reported in the result and quarantined, and
  // every good row is imported.
  Result<ImportReport> import_file(const std::filesystem::path& path, const std::string& shop);
  // The same for bytes already in memory; `name` is used in reports.
  Result<ImportReport> import_bytes(std::string_view bytes, const std::string& name,
                                    const std::string& shop);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  ImportOptions m_options;
};

}  // namespace fulfil::csvimport
