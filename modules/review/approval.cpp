#include "review/approval.hpp"

#include <deque>
#include <set>

#include "review/checks.hpp"
#include "review/stock.hpp"
#include "store/order_queries.hpp"

namespace fulfil::review {

using store::SqlValue;

namespace {
constexpr std::array<std::string_view, 4> k_reservation_columns{"parcel_id", "sku", "qty",
                                                                "pay_time"};
}  // namespace

void leave_approved(ParcelRows& rows, const Parcel& before, std::int64_t parcel_id) {
  if (holds_stock(before.state)) rows.release_stock(std::span(&parcel_id, 1));
}

ApprovalOutcome approve_parcels(ParcelRows& rows, std::vector<Parcel>& parcels,
                                const ReviewSettings& settings, const std::string& actor,
                                UnixSeconds now) {
  ApprovalOutcome out;
  if (parcels.empty()) return out;
  std::vector<std::int64_t> ids;
  for (const auto& p : parcels) ids.push_back(p.id);
  auto homes = rows.home_tids(ids);
  std::vector<orders::Tid> all_tids;
  for (const auto& [id, tids] : homes) all_tids.insert(all_tids.end(), tids.begin(), tids.end());
  auto flags = rows.trade_flags(all_tids);
  auto lines = rows.lines(ids);

  // What each parcel needs, per SKU.
  std::map<std::int64_t, std::map<std::string, std::int64_t>> needs;
  std::set<std::string> skus;
  for (const auto& [id, ls] : lines)
    for (const auto& pl : ls) {
      std::string sku = sku_of(pl.line);
      if (sku.empty()) continue;
      needs[id][sku] += pl.line.num;
      skus.insert(sku);
    }
  auto levels = settings.stock.reserve ? StockRepository(rows.conn()).levels(skus)
                                       : std::map<std::string, StockLevel>{};

  std::vector<orders::Tid> approved_tids, parked_tids;
  std::map<std::string, std::int64_t> reserved_now;
  std::vector<SqlValue> reservations;
  std::deque<std::string> owned;  // texts the reservation rows point into
  for (auto& p : parcels) {
    std::string intercept;
    for (auto tid : homes[p.id])
      if (auto f = flags.find(tid); f != flags.end() && f->second.fstate == "intercepted")
        intercept = "trade " + std::to_string(tid) + " intercepted: " + f->second.reason;
    if (!intercept.empty()) {
      const Parcel before = p;
      p.problem = intercept;
      out.events.push_back(advance(p, State::intercepted, "intercepted", "sync", intercept, now));
      leave_approved(rows, before, p.id);
      rows.update(p);
      out.intercepted.emplace_back(p.id, intercept);
      continue;
    }
    std::string shortage;
    if (settings.stock.reserve) {
      for (const auto& [sku, qty] : needs[p.id]) {
        auto level = levels.find(sku);
        if (level == levels.end()) {
          if (settings.stock.unknown_sku_is_problem)
            shortage += (shortage.empty() ? "" : "; ") + ("unknown SKU " + sku);
          continue;
        }
        const std::int64_t available = level->second.available() - reserved_now[sku];
        if (settings.stock.check_at_approval && available < qty)
          shortage += (shortage.empty() ? "" : "; ") +
                      ("stock shortage: SKU " + sku + " needs " + std::to_string(qty) + ", " +
                       std::to_string(std::max<std::int64_t>(available, 0)) + " available");
      }
    }
    if (!shortage.empty()) {
      p.problem = shortage;
      out.events.push_back(advance(p, State::problem, "parked", actor, shortage, now));
      rows.update(p);
      out.parked.emplace_back(p.id, shortage);
      auto& tids = homes[p.id];
      parked_tids.insert(parked_tids.end(), tids.begin(), tids.end());
      continue;
    }
    for (const auto& [sku, qty] : needs[p.id]) {
      if (!levels.contains(sku)) continue;
      reserved_now[sku] += qty;
      SqlValue row[] = {p.id, std::string_view(owned.emplace_back(sku)), qty, p.pay_time};
      reservations.insert(reservations.end(), std::begin(row), std::end(row));
    }
    p.reviewer = actor;
    p.problem.clear();
    out.events.push_back(advance(p, State::approved, "approved", actor, "", now));
    out.approved.push_back(p.id);
    auto& tids = homes[p.id];
    approved_tids.insert(approved_tids.end(), tids.begin(), tids.end());
  }

  if (!out.approved.empty()) {
    long long at = now;
    std::string who = actor;
    rows.conn().sql() << "UPDATE parcels SET state = 'approved', version = version + 1, "
                         "reviewer = :r, problem = NULL, claim_holder = NULL, "
                         "claim_expires = NULL, updated_at = :u WHERE id IN (" +
                             store::id_list(out.approved) + ")",
        soci::use(who), soci::use(at);
  }
  rows.mirror(approved_tids, "approved");
  rows.mirror(parked_tids, "problem");
  for (const auto& [sku, qty] : reserved_now) {
    long long q = qty, at = now;
    std::string s = sku;
    rows.conn().sql() << "UPDATE stock SET reserved = reserved + :q, updated_at = :u "
                         "WHERE sku = :s",
        soci::use(q), soci::use(at), soci::use(s);
  }
  rows.writer().insert("stock_reservations", k_reservation_columns, reservations);
  rows.add_events(out.events);
  return out;
}

}  // namespace fulfil::review
