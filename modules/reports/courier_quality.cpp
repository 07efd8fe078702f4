#include "reports/courier_quality.hpp"

#include <algorithm>
#include <map>

#include "store/row_reader.hpp"

namespace fulfil::reports {

using store::get_int;
using store::get_opt_int;
using store::get_text;

std::optional<double> median(std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (v.size() % 2) return v[mid];
  const double upper = v[mid];
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

Result<std::vector<CourierQuality>> courier_quality(store::Connection& conn, UnixSeconds now,
                                                    int days, int stuck_hours) {
  if (days < 1 || days > 90) return fail(ErrorKind::invalid_input, "days: expected 1-90");
  return store::guarded([&]() -> Result<std::vector<CourierQuality>> {
    struct Group {
      CourierQuality q;
      std::vector<double> hours;
    };
    std::map<std::pair<std::string, std::string>, Group> groups;
    const long long from = now - 86400LL * days;
    const long long stale = now - 3600LL * stuck_hours;
    soci::rowset<soci::row> rows =
        (conn.sql().prepare
             << "SELECT s.courier, COALESCE(t.province, ''), s.state, COALESCE(s.last_event_at, "
                "s.created_at), (SELECT MIN(c.at) FROM shipment_changes c WHERE c.shipment_id = "
                "s.id AND c.to_state = 'collected'), (SELECT MIN(e.at) FROM shipment_events e "
                "WHERE e.shipment_id = s.id), (SELECT MIN(c.at) FROM shipment_changes c WHERE "
                "c.shipment_id = s.id AND c.to_state = 'delivered'), (SELECT COUNT(*) FROM "
                "shipment_changes c WHERE c.shipment_id = s.id AND c.to_state = 'problem') FROM "
                "shipments s LEFT JOIN trades t ON t.tid = s.tid WHERE s.kind = 'outbound' AND "
                "s.created_at >= :f",
         soci::use(from));
    for (const auto& r : rows) {
      const std::string courier = get_text(r, 0), province = get_text(r, 1), state = get_text(r, 2);
      const long long last = get_int(r, 3);
      const auto pickup = get_opt_int(r, 4) ? get_opt_int(r, 4) : get_opt_int(r, 5);
      const auto delivered = get_opt_int(r, 6);
      const bool problem = get_int(r, 7) > 0;
      const bool open = state != "delivered" && state != "refused";
      for (const auto& where : {std::string(), province}) {
        auto& g = groups[{courier, where}];
        g.q.courier = courier, g.q.province = where;
        ++g.q.shipments;
        if (delivered) {
          ++g.q.delivered;
          if (pickup && *delivered >= *pickup)
            g.hours.push_back(double(*delivered - *pickup) / 3600);
        }
        if (problem) ++g.q.problems;
        if (open && last < stale) ++g.q.stuck;
        if (where.empty() && province.empty()) break;  // no province: counted once
      }
    }
    std::vector<CourierQuality> out;
    for (auto& [key, g] : groups) {
      g.q.median_hours = median(g.hours);
      out.push_back(std::move(g.q));
    }
    // Each courier's total first, then its provinces, most shipments first.
    std::stable_sort(out.begin(), out.end(), [](const CourierQuality& a, const CourierQuality& b) {
      if (a.courier != b.courier) return a.courier < b.courier;
      if (a.province.empty() != b.province.empty()) return a.province.empty();
      return a.shipments > b.shipments;
    });
    return out;
  });
}

}  // namespace fulfil::reports
