#include "csvimport/csv_reader.hpp"

#include "common/utf8.hpp"

#include <algorithm>
#include <cstdio>

namespace fulfil::csvimport {

Result<std::vector<CsvRecord>> read_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  std::string field;
  bool in_quotes = false, field_started = false;
  int line = 1, quote_line = 0;
  rec.line = 1;
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    // A line with nothing on it is not a record.
    if (!(rec.fields.size() == 1 && rec.fields[0].empty())) out.push_back(std::move(rec));
    rec = CsvRecord{};
    rec.line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n' || (c == '\r' && !(i + 1 < text.size() && text[i + 1] == '\n'))) ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;                           // the \n ends the record
    } else if (c == '\n' || c == '\r') {  // LF, CRLF, or CR alone (Excel's "CSV (Macintosh)")
      ++line;
      end_record();
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (in_quotes)
    return fail(ErrorKind::invalid_input,
                "line " + std::to_string(quote_line) + ": quoted field never closed");
  if (field_started || !rec.fields.empty()) end_record();
  return out;
}

std::string_view trim_field(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

namespace {

// Where byte `offset` of `text` is: its line and field (1-based; fields counted by commas
// outside quotes).
struct Position {
  int line = 1, field = 1;
};
Position locate(std::string_view text, std::size_t offset) {
  Position at;
  bool quoted = false;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',') ++at.field;
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++at.line;
      at.field = 1;
    }
  }
  return at;
}

// "line 12, field 3" for a byte offset.
std::string position_of(std::string_view text, std::size_t offset) {
  const auto at = locate(text, offset);
  return "line " + std::to_string(at.line) + ", field " + std::to_string(at.field);
}

// The file's physical lines, cut where read_csv counts a new line (LF, CRLF, CR alone); each
// keeps its line end.
std::vector<std::string_view> physical_lines(std::string_view bytes) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const bool lf = bytes[i] == '\n';
    const bool lone_cr = bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n');
    if (lf || lone_cr) {
      out.push_back(bytes.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < bytes.size()) out.push_back(bytes.substr(start));
  return out;
}

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string hex_byte(char c) {
  char out[8];
  std::snprintf(out, sizeof out, "0x%02X", static_cast<unsigned char>(c));
  return out;
}

}  // namespace

Result<std::string> to_utf8(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    return fail(ErrorKind::invalid_input,
                "the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" or "
                "\"CSV\"");
  const auto bad = find_invalid_utf8(bytes);
  if (!bad) return std::string(bytes);
  if (auto gb = gb18030_to_utf8(bytes)) return gb;
  return fail(ErrorKind::invalid_input, "neither UTF-8 nor GB18030: byte " + hex_byte(bytes[*bad]) +
                                            " at " + position_of(bytes, *bad) +
                                            " is not UTF-8, and the file does not read as "
                                            "GB18030 either");
}

Result<LenientText> to_utf8_lenient(std::string_view bytes) {
  auto whole = to_utf8(bytes);
  if (whole) return LenientText{std::move(*whole), {}};
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    return std::unexpected(whole.error());  // UTF-16: no line of it reads
  const auto lines = physical_lines(bytes);
  // The file's encoding: the one more of its non-ASCII lines read in.
  int utf8_lines = 0, gb_lines = 0;
  for (auto line : lines) {
    if (ascii(line)) continue;
    if (!find_invalid_utf8(line))
      ++utf8_lines;
    else if (gb18030_to_utf8(line))
      ++gb_lines;
  }
  const bool utf8 = utf8_lines >= gb_lines;
  LenientText out;
  out.text.reserve(bytes.size());
  bool quoted = false;  // whether this line starts inside a quoted field (quotes are ASCII)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i];
    const bool starts_quoted = quoted;
    quoted = (std::count(line.begin(), line.end(), '"') % 2 == 1) != quoted;
    std::optional<std::size_t> bad;
    bool utf8_in_gb = false;  // a UTF-8 line in a GB18030 file: it would decode, garbled
    if (utf8) {
      bad = find_invalid_utf8(line);
      if (!bad) out.text += line;
    } else if (!ascii(line) && !find_invalid_utf8(line)) {
      utf8_in_gb = true;
      bad = std::find_if(line.begin(), line.end(),
                         [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) -
            line.begin();
    } else if (auto gb = gb18030_to_utf8(line)) {
      out.text += *gb;
    } else {
      bad = find_invalid_utf8(line).value_or(0);  // where the non-text bytes start
    }
    if (!bad) continue;
    for (char c : line)
      if (static_cast<unsigned char>(c) < 0x80) out.text.push_back(c);
    const int number = static_cast<int>(i) + 1;
    const std::string where = starts_quoted
                                  ? "line " + std::to_string(number) + " (inside a quoted field)"
                                  : "line " + std::to_string(number) + ", field " +
                                        std::to_string(locate(line, *bad).field);
    out.bad_lines.push_back(
        {number, "undecodable bytes: byte " + hex_byte(line[*bad]) + " at " + where +
                     (utf8_in_gb ? " starts UTF-8 text in a file whose other lines are GB18030"
                                 : std::string(" is not ") + (utf8 ? "UTF-8" : "GB18030") +
                                       ", the encoding of the file's other lines")});
  }
  // Every line decoded although the whole did not: refuse as to_utf8 does, never guess.
  if (out.bad_lines.empty()) return std::unexpected(whole.error());
  return out;
}

Result<std::vector<CsvRecord>> read_upload(std::string_view bytes, const std::string& source) {
  auto text = to_utf8(bytes);
  if (!text) return std::unexpected(with_context(text.error(), source));
  auto records = read_csv(*text);
  if (!records) return std::unexpected(with_context(records.error(), source));
  if (records->empty()) return fail(ErrorKind::invalid_input, source + ": empty file");
  return records;
}

std::string field_at(const CsvRecord& record, std::size_t col) {
  return col < record.fields.size() ? std::string(trim_field(record.fields[col])) : std::string();
}

}  // namespace fulfil::csvimport
