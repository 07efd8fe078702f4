#include "aftersale/return_form.hpp"

#include <array>

namespace fulfil::aftersale {

namespace {
constexpr std::array<std::string_view, 10> k_reasons = {
    "",       "尺码偏大", "尺码偏小",       "款式不喜欢", "颜色不喜欢",
    "发错货", "质量问题", "颜色与图片不符", "缺少配件",   "其他"};
}  // namespace

std::string_view to_string(Condition c) {
  switch (c) {
    case Condition::fine:
      return "fine";
    case Condition::damaged:
      return "damaged";
    case Condition::parts_missing:
      return "parts_missing";
    case Condition::wrong_item:
      return "wrong_item";
  }
  return "fine";
}

std::optional<Condition> parse_condition(std::string_view t) {
  for (auto c :
       {Condition::fine, Condition::damaged, Condition::parts_missing, Condition::wrong_item})
    if (t == to_string(c)) return c;
  return std::nullopt;
}

std::string_view to_string(LineAction a) {
  return a == LineAction::exchange ? "exchange" : "return";
}

std::optional<LineAction> parse_action(std::string_view t) {
  if (t == "return") return LineAction::give_back;
  if (t == "exchange") return LineAction::exchange;
  return std::nullopt;
}

std::string_view reason_text(int code) {
  if (code < 1 || code > 9) return {};
  return k_reasons[static_cast<std::size_t>(code)];
}

Result<std::vector<CheckedLine>> check_form(const std::vector<FormLine>& form,
                                            const std::vector<ShippedLine>& shipped,
                                            const std::map<std::string, bool>& known_sku) {
  std::vector<std::string> problems;
  std::vector<CheckedLine> out;
  // What this form already takes of each line (a line may appear twice: part returned,
  // part exchanged).
  std::map<orders::Oid, int> taken;
  for (std::size_t i = 0; i < form.size(); ++i) {
    const FormLine& f = form[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    const ShippedLine* match = nullptr;
    if (f.oid) {
      for (const auto& s : shipped)
        if (s.line.oid == *f.oid) match = &s;
      if (!match) {
        problems.push_back(at + ".oid: line " + std::to_string(*f.oid) +
                           " was not shipped in this parcel");
        continue;
      }
    } else if (!f.sku.empty()) {
      int found = 0;
      for (const auto& s : shipped)
        if (s.line.outer_sku_id == f.sku) {
          match = &s;
          ++found;
        }
      if (found == 0) {
        problems.push_back(at + ".sku: " + f.sku + " was not shipped in this parcel");
        continue;
      }
      if (found > 1) {
        problems.push_back(at + ".sku: " + f.sku +
                           " is on several lines of this parcel; name the line by its oid");
        continue;
      }
    } else {
      problems.push_back(at + ": name the line by oid or sku");
      continue;
    }
    const int left = match->line.num - match->returned_before - taken[match->line.oid];
    if (f.quantity < 1)
      problems.push_back(at + ".quantity: expected at least 1, got " + std::to_string(f.quantity));
    else if (f.quantity > left)
      problems.push_back(at + ".quantity: " + std::to_string(f.quantity) + " asked, " +
                         std::to_string(match->line.num) + " shipped, " +
                         std::to_string(match->line.num - left) + " returned before or above");
    if (reason_text(f.reason_code).empty())
      problems.push_back(at + ".reason_code: expected 1-9, got " + std::to_string(f.reason_code));
    else if (f.reason_code == k_reason_other && f.reason.empty())
      problems.push_back(at + ".reason: reason 9 (other) needs the buyer's words");
    if (f.action == LineAction::exchange) {
      if (f.new_sku.empty())
        problems.push_back(at + ".new_sku: an exchange names the SKU to send");
      else if (!known_sku.contains(f.new_sku) || !known_sku.at(f.new_sku))
        problems.push_back(at + ".new_sku: unknown SKU " + f.new_sku + " (not in the stock list)");
      if (f.new_unit_price && (*f.new_unit_price < 0 || *f.new_unit_price > 100'000'000))
        problems.push_back(at + ".new_unit_price_fen: out of range");
    } else if (!f.new_sku.empty() || !f.colour.empty() || !f.size.empty()) {
      problems.push_back(at + ": new_sku, colour and size belong to an exchange line");
    }
    if (f.quantity >= 1 && f.quantity <= left) taken[match->line.oid] += f.quantity;
    CheckedLine c{f, match->tid, match->line, 0};
    if (c.form.sku.empty()) c.form.sku = match->line.outer_sku_id;
    if (match->line.num > 0)
      c.paid = match->line.payment * f.quantity / match->line.num;  // fen, rounded down
    out.push_back(std::move(c));
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) text += (text.empty() ? "" : "; ") + p;
    return fail(ErrorKind::invalid_input, text);
  }
  return out;
}

}  // namespace fulfil::aftersale
