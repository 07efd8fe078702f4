#include "reports/throughput.hpp"

#include "store/row_reader.hpp"

namespace fulfil::reports {

using store::get_int;

Result<std::vector<HourCounts>> throughput(store::Connection& conn, UnixSeconds now, int hours) {
  if (hours < 1 || hours > 24 * 14) return fail(ErrorKind::invalid_input, "hours: expected 1-336");
  return store::guarded([&]() -> Result<std::vector<HourCounts>> {
    const long long first = (now / 3600 - hours + 1) * 3600;
    std::vector<HourCounts> out(static_cast<std::size_t>(hours));
    for (int i = 0; i < hours; ++i) out[i].hour = first + 3600LL * i;
    auto add = [&](const std::string& sql, long long HourCounts::*field) {
      soci::rowset<soci::row> rows = (conn.sql().prepare << sql, soci::use(first));
      for (const auto& r : rows) {
        const long long slot = (get_int(r, 0) * 3600 - first) / 3600;
        if (slot >= 0 && slot < hours) out[static_cast<std::size_t>(slot)].*field = get_int(r, 1);
      }
    };
    // A parcel approved again after a release counts again: it was reviewed twice.
    for (auto [state, field] :
         {std::pair{"approved", &HourCounts::reviewed}, std::pair{"printed", &HourCounts::printed},
          std::pair{"packed", &HourCounts::packed}})
      add("SELECT at / 3600, COUNT(*) FROM parcel_events WHERE to_state = '" + std::string(state) +
              "' AND at >= :f GROUP BY at / 3600",
          field);
    add("SELECT done_at / 3600, COUNT(DISTINCT parcel_id) FROM ship_confirmations WHERE state = "
        "'sent' AND done_at >= :f GROUP BY done_at / 3600",
        &HourCounts::shipped);
    return out;
  });
}

}  // namespace fulfil::reports
