#include "review/transitions.hpp"

#include "review/approval.hpp"
#include "store/order_queries.hpp"

namespace fulfil::review {

std::vector<Parcel> move_parcels(ParcelRows& rows, std::vector<Parcel> parcels, Action action,
                                 const Actor& actor, const std::string& detail, UnixSeconds now) {
  std::vector<Parcel> moved;
  std::vector<ParcelEvent> events;
  std::vector<orders::Tid> mirrored;
  std::vector<std::int64_t> ids;
  for (const auto& p : parcels) ids.push_back(p.id);
  auto homes = rows.home_tids(ids);
  std::string fstate;
  std::vector<std::int64_t> uniform;  // moved without a per-parcel change: one UPDATE for all
  for (auto& p : parcels) {
    auto to = decide(p.facts(), action, actor, std::nullopt, now);
    if (!to) continue;
    const Parcel before = p;
    events.push_back(advance(p, *to, to_string(action), actor.name, detail, now));
    if (!holds_stock(*to)) leave_approved(rows, before, p.id);
    // A parcel with a problem text to store, or a claim to end, needs its own UPDATE.
    if (p.problem.empty() && before.claim_holder.empty())
      uniform.push_back(p.id);
    else
      rows.update(p);
    fstate = std::string(to_string(*to));
    mirrored.insert(mirrored.end(), homes[p.id].begin(), homes[p.id].end());
    moved.push_back(p);
  }
  if (!uniform.empty()) {
    long long at = now;
    rows.conn().sql() << "UPDATE parcels SET state = '" + fstate +
                             "', version = version + 1, problem = NULL, updated_at = :u "
                             "WHERE id IN (" +
                             store::id_list(uniform) + ")",
        soci::use(at);
  }
  if (!moved.empty()) rows.mirror(mirrored, fstate);
  rows.add_events(events);
  return moved;
}

}  // namespace fulfil::review
