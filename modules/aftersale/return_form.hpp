#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/money.hpp"
#include "orders/trade.hpp"

namespace fulfil::aftersale {

// The state of the goods when they came back.
enum class Condition { fine, damaged, parts_missing, wrong_item };
std::string_view to_string(Condition c);
std::optional<Condition> parse_condition(std::string_view text);

enum class LineAction { give_back, exchange };  // "return" / "exchange" on the form
std::string_view to_string(LineAction a);
std::optional<LineAction> parse_action(std::string_view text);

// The nine reasons printed on the form (domain.md §5); 9 needs the buyer's words.
inline constexpr int k_reason_other = 9;
// The reason's words for codes 1-9; empty for any other code.
std::string_view reason_text(int code);

// One line of the form as the staff entered it. The line is named by its platform line id
// (oid) or, when the form only shows it, by its SKU.
struct FormLine {
  std::optional<orders::Oid> oid;
  std::string sku;
  LineAction action = LineAction::give_back;
  int quantity = 0;
  std::string new_sku, colour, size;  // exchange only
  std::optional<Fen> new_unit_price;  // exchange: when staff know it
  int reason_code = 0;
  std::string reason;  // the buyer's words (required with code 9)
};

// A line the parcel shipped and how much of it came back before.
struct ShippedLine {
  orders::Tid tid = 0;
  orders::TradeLine line;
  int returned_before = 0;
};

// A form line checked against what shipped: its line, what was paid for the quantity.
struct CheckedLine {
  FormLine form;
  orders::Tid tid = 0;
  orders::TradeLine line;
  Fen paid = 0;  // the buyer's payment for `quantity` of it, pro rata
};

// Checks a form against the lines the parcel shipped: every line must name a shipped line
// (by oid, or a SKU that only one shipped line has), quantities must be within what
// shipped less what came back before, reasons 1-9 (9 with words), an exchange must name a
// new SKU that `known_sku` knows. Every problem is reported, each naming its line
// ("lines[2].quantity: 3 asked, 2 shipped, 1 returned before").
Result<std::vector<CheckedLine>> check_form(const std::vector<FormLine>& form,
                                            const std::vector<ShippedLine>& shipped,
                                            const std::map<std::string, bool>& known_sku);

}  // namespace fulfil::aftersale
