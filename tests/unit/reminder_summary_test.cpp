// The daily summary's arithmetic on seed 003's table (2011-10-17 to 2011-10-24): every
// amount ratio and order ratio comes out as the seed printed it, 13.37 % for 2011-10-24.
#include <gtest/gtest.h>

#include "reminders/summary.hpp"

namespace fulfil::reminders {
namespace {

struct SeedRow {
  const char* day;
  Fen unpaid, recovered;
  std::int64_t orders, paid;
  const char *amount_rate, *order_rate;
};

TEST(ReminderSummary, TheSeedsTableComesOutAsPrinted) {
  const SeedRow rows[] = {
      {"2011-10-24", 1068654, 142900, 90, 12, "13.37%", "13.33%"},
      {"2011-10-23", 666169, 129100, 60, 11, "19.38%", "18.33%"},
      {"2011-10-21", 873268, 84564, 73, 6, "9.68%", "8.22%"},
      {"2011-10-20", 899197, 190106, 63, 16, "21.14%", "25.40%"},
      {"2011-10-19", 635304, 38456, 55, 4, "6.05%", "7.27%"},
      {"2011-10-18", 1256005, 97102, 91, 9, "7.73%", "9.89%"},
      {"2011-10-17", 942038, 112797, 75, 8, "11.97%", "10.67%"},
  };
  for (const auto& r : rows) {
    DaySummary d;
    d.unpaid = r.unpaid, d.recovered = r.recovered, d.orders = r.orders, d.orders_paid = r.paid;
    EXPECT_EQ(percent_text(d.success_rate()), r.amount_rate) << r.day;
    EXPECT_EQ(percent_text(d.order_rate()), r.order_rate) << r.day;
  }
}

TEST(ReminderSummary, NoRateWithoutAWholeAndHalvesRoundUp) {
  EXPECT_EQ(percent_text(DaySummary{}.success_rate()), "—");
  EXPECT_EQ(basis_points(1, 20000), 1) << "0.005 % rounds up to 0.01 %";
  EXPECT_EQ(basis_points(1, 20001), 0);
  EXPECT_EQ(percent_text(basis_points(3, 3)), "100.00%");
  DaySummary sms;
  sms.recovered = 813898, sms.cost = 1183 * 5;  // seed 003: 1,183 texts at 5 fen, ¥8,138.98
  EXPECT_EQ(percent_text(sms.roi()), "13759.90%");
}

}  // namespace
}  // namespace fulfil::reminders
