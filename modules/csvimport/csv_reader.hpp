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

// A file's text as UTF-8, with the lines whose bytes would not decode (read leniently).
struct LenientText {
  struct BadLine {
    int line = 0;
    std::string reason;
  };
  std::string text;
  std::vector<BadLine> bad_lines;
};

// Like to_utf8, but a file that is neither UTF-8 nor GB18030 as a whole (a few bad bytes in
// one row) is read line by line in the encoding most of its lines are in; a line that does
// not decode keeps only its ASCII bytes, so the commas, quotes and order number stay where
// they were, and is listed with why. Lines count as read_csv counts them. UTF-16 is still an
// error.
Result<LenientText> to_utf8_lenient(std::string_view bytes);

// A small file a person uploads (stock levels, SKU mappings): its bytes as UTF-8 (or GB18030),
// read as CSV; an empty file is an error. Errors name `source`.
Result<std::vector<CsvRecord>> read_upload(std::string_view bytes, const std::string& source);

// Field `col` of a record, trimmed; empty when the record is shorter.
std::string field_at(const CsvRecord& record, std::size_t col);

}  // namespace fulfil::csvimport
