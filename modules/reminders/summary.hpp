#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "common/money.hpp"

namespace fulfil::reminders {

// A ratio in hundredths of a percent (1337 = 13.37 %), rounded half up; none when the whole
// is zero (nothing was reminded: no rate, rather than 0 %).
std::optional<std::int64_t> basis_points(std::int64_t part, std::int64_t whole);
// "13.37%", or "—" when there is no rate.
std::string percent_text(std::optional<std::int64_t> bp);

// One line of the daily summary (催款汇总表, seeds 002 and 003), for a day or a day and a
// staff member: what was reminded and what came back.
struct DaySummary {
  Fen unpaid = 0, recovered = 0;
  std::int64_t orders = 0, orders_paid = 0;
  std::int64_t customers = 0, customers_paid = 0, customers_responding = 0;
  Fen cost = 0;  // what the channels cost (SMS at its price per message part)

  // success rate = recovered ÷ unpaid total (the seeds' 当日回款金额比例)
  std::optional<std::int64_t> success_rate() const { return basis_points(recovered, unpaid); }
  std::optional<std::int64_t> order_rate() const { return basis_points(orders_paid, orders); }
  std::optional<std::int64_t> response_rate() const {
    return basis_points(customers_responding, customers);
  }
  // Return on what was spent, as recovered ÷ cost in hundredths (none without a cost).
  std::optional<std::int64_t> roi() const { return basis_points(recovered, cost); }
};

}  // namespace fulfil::reminders
