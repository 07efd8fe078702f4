#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace fulfil::csvimport {

// One record and the file line it starts on (1-based; a quoted newline spans lines).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Reads RFC 4180 CSV: fields separated by commas, optionally quoted with "", quotes
// doubled inside quotes, CRLF or LF line ends, a UTF-8 BOM skipped, blank lines skipped.
// An unterminated quote is an error naming the line it opened on.
Result<std::vector<CsvRecord>> read_csv(std::string_view text);

// A field without the spaces, tabs and stray CR that hand-edited files leave around it.
std::string_view trim_field(std::string_view s);

// Returns the text as UTF-8: unchanged when it already is valid UTF-8, else converted from
// GB18030 (the encoding Chinese Excel saves "CSV" in).
Result<std::string> to_utf8(std::string_view bytes);

// A small file a person uploads (stock levels, SKU mappings): its bytes as UTF-8 (or GB18030),
// read as CSV; an empty file is an error. Errors name `source`.
Result<std::vector<CsvRecord>> read_upload(std::string_view bytes, const std::string& source);

// Field `col` of a record, trimmed; empty when the record is shorter.
std::string field_at(const CsvRecord& record, std::size_t col);

}  // namespace fulfil::csvimport
