#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace fulfil::printers {

// Label templates are data (config/labels/*.toml), not code. Sizes and positions are in mm.

enum class ElementKind { text, code128, qr, rule, box, table };
enum class Align { left, center, right };
// Which pages of a side an element appears on.
enum class OnPages { all, first, rest, last };

// A table column bound to an item-line field; an empty field leaves the cell for the buyer
// to fill in (with `box`, a tick box).
struct Column {
  std::string title, field;
  double w = 10;
  Align align = Align::left;
  bool box = false;
};

struct Element {
  ElementKind kind = ElementKind::text;
  int line = 0;       // in the template file, for errors
  std::string where;  // "front[3]"
  OnPages on = OnPages::all;
  double x = 0, y = 0, w = 0, h = 0;
  double size = 3;      // text height (em) or, for QR, the symbol's side
  double min_size = 0;  // text may shrink down to this to fit; 0: no shrinking
  double thickness = 0.3;
  int max_lines = 0;      // 0: as many as fit in h (one when h is 0)
  bool must_fit = false;  // overflow is an error instead of a cut with a warning
  bool readable = true;   // code128: the number in text under the bars
  Align align = Align::left;
  std::string text;  // text or barcode data, with {fields}
  // Tables: rows of item lines, continuing on following pages in the continue_* region.
  std::vector<Column> columns;
  double continue_y = 0, continue_h = 0;
};

struct LabelTemplate {
  std::string name;
  std::string kind;  // "waybill", "packing_list" or "pick_list"
  std::string file;
  double width_mm = 76, height_mm = 130;
  int dpi = 203;
  std::vector<Element> front;
  std::vector<Element> back;  // empty: printed one-sided

  int dots(double mm) const;
};

// Parses a template, checking every key, range and {field}; errors list every problem as
// "file:line: front[2].text: unknown field {recever_name}".
Result<LabelTemplate> parse_template(std::string_view toml_text, const std::string& file);

// The {field} names in `text`, in order (used by the parser and by tests).
std::vector<std::string> placeholders(std::string_view text);

}  // namespace fulfil::printers
