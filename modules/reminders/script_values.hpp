#pragma once
#include <map>
#include <vector>

#include "common/clock.hpp"
#include "reminders/message_template.hpp"
#include "reminders/settings.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

// What a reminder's texts and scripts are filled with.
struct ChasedOrder {
  std::string shop, buyer_nick, receiver_name, product;
  std::vector<std::int64_t> tids;
  UnixSeconds first_placed = 0;
  Fen amount = 0;
};

// A product title as a text names it: its first 20 characters (a gateway variable is
// refused past 35, and the text must stay within 70).
std::string short_product(std::string_view title);

// The placeholder values of a reminder at `now`: the receiver's name (else the buyer's
// nick), the time placed (Asia/Shanghai, "11月11日 10:05"), the trade ids, the shop, the
// first product, the days left before the close, the amount in yuan, the discount.
Values values_of(const ChasedOrder& r, UnixSeconds now, const ReminderSettings& s);

// Reads reminder `id`'s facts (its trades, the first product, the receiver's name).
Result<ChasedOrder> load_facts(store::Connection& c, std::int64_t id);
// Adds reminder `id`'s trades, first product and receiver's name to `facts`.
Result<void> load_trades(store::Connection& c, std::int64_t id, ChasedOrder& facts);
// The same for many reminders at once: `ids` is a comma-separated list of reminder ids.
Result<void> load_trades_of(store::Connection& c, const std::string& ids,
                            std::map<std::int64_t, ChasedOrder>& facts);

}  // namespace fulfil::reminders
