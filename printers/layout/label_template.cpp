#include "layout/label_template.hpp"

#include <cmath>
#include <span>

#include "common/toml_reader.hpp"
#include "layout/label_data.hpp"

namespace fulfil::printers {

namespace {

bool known(std::span<const FieldInfo> fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name == name) return true;
  return false;
}

// What a template of `kind` may bind to: a wave's fields on a pick list, a parcel's on labels.
std::span<const FieldInfo> document_fields(std::string_view kind) {
  if (kind == "pick_list") return k_pick_list_fields;
  return k_label_fields;
}

std::span<const FieldInfo> line_fields(std::string_view kind) {
  if (kind == "pick_list") return k_pick_line_fields;
  return k_line_fields;
}

std::optional<Align> parse_align(std::string_view s) {
  if (s == "left") return Align::left;
  if (s == "center") return Align::center;
  if (s == "right") return Align::right;
  return std::nullopt;
}

class TemplateParser {
 public:
  TemplateParser(const LabelTemplate& t, const std::string& file, std::vector<std::string>& errors)
      : m_t(t), m_file(file), m_errors(errors) {}

  std::vector<Element> side(TableReader& top, std::string_view name) {
    std::vector<Element> out;
    const toml::array* items = top.array(name);
    if (!items) return out;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const auto* table = (*items)[i].as_table();
      std::string where = std::string(name) + "[" + std::to_string(i + 1) + "]";
      if (!table) {
        top.error_at(&(*items)[i], name, "expected tables ([[" + std::string(name) + "]])");
        continue;
      }
      out.push_back(element(*table, where));
    }
    return out;
  }

 private:
  Element element(const toml::table& table, const std::string& where) {
    TableReader r(table, where, m_file, m_errors);
    Element e;
    e.where = where;
    e.line = static_cast<int>(table.source().begin.line);
    const std::string type = r.text("type", "");
    static const std::pair<std::string_view, ElementKind> k_kinds[] = {
        {"text", ElementKind::text}, {"code128", ElementKind::code128},
        {"qr", ElementKind::qr},     {"rule", ElementKind::rule},
        {"box", ElementKind::box},   {"table", ElementKind::table}};
    bool found = false;
    for (const auto& [n, k] : k_kinds)
      if (type == n) e.kind = k, found = true;
    if (!found)
      r.error_at(r.node("type"), "type", "expected text, code128, qr, rule, box or table");

    const double max_x = m_t.width_mm, max_y = m_t.height_mm;
    e.x = r.real("x", 0, 0, max_x);
    e.y = r.real("y", 0, 0, max_y);
    e.w = r.real("w", 0, 0, max_x);
    e.h = r.real("h", 0, 0, max_y);
    if (e.x + e.w > max_x + 1e-9) r.error_at(r.node("w"), "w", "reaches past the label's width");
    if (e.y + e.h > max_y + 1e-9) r.error_at(r.node("h"), "h", "reaches past the label's height");
    const std::string on = r.text("on", "all");
    if (on == "all")
      e.on = OnPages::all;
    else if (on == "first")
      e.on = OnPages::first;
    else if (on == "rest")
      e.on = OnPages::rest;
    else if (on == "last")
      e.on = OnPages::last;
    else
      r.error_at(r.node("on"), "on", "expected all, first, rest or last");

    switch (e.kind) {
      case ElementKind::text:
        e.text = r.text("text", "");
        e.size = r.real("size", 3, 1, 40);
        e.min_size = r.real("min_size", 0, 0, 40);
        e.max_lines = static_cast<int>(r.integer("max_lines", 0, 0, 50));
        e.must_fit = r.boolean("must_fit", false);
        align(r, e.align);
        need_width(r, e);
        fields(r, "text", e.text);
        break;
      case ElementKind::code128:
        e.text = r.text("data", "");
        e.readable = r.boolean("readable", true);
        e.size = r.real("size", 2.5, 1, 20);
        need_width(r, e);
        if (e.h <= 0) r.error_at(r.node("h"), "h", "a barcode needs a height");
        fields(r, "data", e.text);
        break;
      case ElementKind::qr:
        e.text = r.text("data", "");
        e.size = r.real("size", 20, 5, 100);
        fields(r, "data", e.text);
        break;
      case ElementKind::rule:
        if (e.w <= 0 && e.h <= 0) r.error_at(nullptr, "w", "a rule needs w or h");
        break;
      case ElementKind::box:
        e.thickness = r.real("thickness", 0.3, 0.1, 5);
        if (e.w <= 0 || e.h <= 0) r.error_at(nullptr, "w", "a box needs w and h");
        break;
      case ElementKind::table:
        e.size = r.real("size", 3, 1, 20);
        e.continue_y = r.real("continue_y", e.y, 0, max_y);
        e.continue_h = r.real("continue_h", e.h, 0, max_y);
        if (e.h <= 0) r.error_at(r.node("h"), "h", "a table needs a height");
        columns(r, e);
        break;
    }
    r.finish();
    return e;
  }

  void align(TableReader& r, Align& out) {
    const std::string a = r.text("align", "left");
    if (auto v = parse_align(a))
      out = *v;
    else
      r.error_at(r.node("align"), "align", "expected left, center or right");
  }

  void need_width(TableReader& r, const Element& e) {
    if (e.w <= 0) r.error_at(r.node("w"), "w", "needs a width");
  }

  void fields(TableReader& r, std::string_view key, const std::string& text) {
    for (const auto& f : placeholders(text))
      if (!known(document_fields(m_t.kind), f))
        r.error_at(r.node(key), key, "unknown field {" + f + "}");
    auto open = std::count(text.begin(), text.end(), '{');
    auto close = std::count(text.begin(), text.end(), '}');
    if (open != close) r.error_at(r.node(key), key, "unbalanced { }");
  }

  void columns(TableReader& r, Element& e) {
    const toml::array* cols = r.array("columns");
    if (!cols || cols->empty()) {
      r.error_at(r.node("columns"), "columns", "a table needs columns");
      return;
    }
    double total = 0;
    for (std::size_t i = 0; i < cols->size(); ++i) {
      const auto* t = (*cols)[i].as_table();
      std::string where = e.where + ".columns[" + std::to_string(i + 1) + "]";
      if (!t) {
        r.error_at(&(*cols)[i], "columns", "expected inline tables {title = ..., field = ...}");
        continue;
      }
      TableReader c(*t, where, m_file, m_errors);
      Column col;
      col.title = c.text("title", "");
      col.field = c.text("field", "");
      col.w = c.real("w", 10, 1, m_t.width_mm);
      col.box = c.boolean("box", false);
      align(c, col.align);
      if (!col.field.empty() && !known(line_fields(m_t.kind), col.field))
        c.error_at(c.node("field"), "field", "unknown line field " + col.field);
      c.finish();
      total += col.w;
      e.columns.push_back(std::move(col));
    }
    if (total > e.w + 1e-9)
      r.error_at(r.node("columns"), "columns",
                 "columns are wider (" + std::to_string(total) + " mm) than the table");
  }

  const LabelTemplate& m_t;
  const std::string& m_file;
  std::vector<std::string>& m_errors;
};

}  // namespace

int LabelTemplate::dots(double mm) const {
  return static_cast<int>(std::lround(mm * dpi / 25.4));
}

std::vector<std::string> placeholders(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
    auto end = text.find('}', i);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(i + 1, end - i - 1));
  }
  return out;
}

Result<LabelTemplate> parse_template(std::string_view toml_text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file);
  } catch (const toml::parse_error& e) {
    return fail(ErrorKind::config, file + ":" + std::to_string(e.source().begin.line) + ": " +
                                       std::string(e.description()));
  }
  std::vector<std::string> errors;
  LabelTemplate t;
  t.file = file;
  TableReader r(root, "", file, errors);
  t.name = r.required_text("name", "every template needs a name");
  t.kind = r.text("kind", "");
  if (t.kind != "waybill" && t.kind != "packing_list" && t.kind != "pick_list")
    r.error_at(r.node("kind"), "kind", "expected waybill, packing_list or pick_list");
  t.width_mm = r.real("width_mm", 76, 20, 300);
  t.height_mm = r.real("height_mm", 130, 20, 500);
  t.dpi = static_cast<int>(r.integer("dpi", 203, 100, 600));
  TemplateParser p(t, file, errors);
  t.front = p.side(r, "front");
  t.back = p.side(r, "back");
  if (t.front.empty()) r.error_at(nullptr, "front", "a template needs [[front]] elements");
  r.finish();
  if (!errors.empty()) return std::unexpected(config_error(std::move(errors)));
  return t;
}

}  // namespace fulfil::printers
