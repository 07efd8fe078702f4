// Merge, unmerge, split and unsplit: how parcels are regrouped before printing. Each is
// one transaction with an event on every parcel it touches, and each can be undone.
#include <algorithm>
#include <set>

#include "review/approval.hpp"
#include "review/review_service.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::review {

using store::get_int;
using store::id_list;

namespace {

// May `actor` regroup `p` (seen at `version`)? Ready and problem parcels, and in-review
// ones the actor holds.
Result<void> may_regroup(const Parcel& p, std::int64_t version, const Actor& actor, UnixSeconds now,
                         bool approved_too = false) {
  if (p.version != version)
    return fail(ErrorKind::conflict,
                "parcel " + std::to_string(p.id) + " changed meanwhile (version " +
                    std::to_string(p.version) + ", you had " + std::to_string(version) + ")");
  const bool open = p.state == State::ready || p.state == State::problem ||
                    (approved_too && (p.state == State::approved || p.state == State::intercepted));
  const bool mine = p.state == State::in_review &&
                    (p.claim_holder == actor.name || actor.has(Role::supervisor)) &&
                    p.claim_expires >= now;
  if (!open && !mine)
    return fail(ErrorKind::conflict,
                "parcel " + std::to_string(p.id) + " is " + std::string(to_string(p.state)) +
                    (p.state == State::in_review ? " by " + p.claim_holder : "") +
                    ": it cannot be regrouped now");
  return {};
}

bool has_moves(store::Connection& c, std::int64_t id) {
  long long n = 0, a = id, b = id;
  c.sql() << "SELECT COUNT(*) FROM parcel_line_moves WHERE from_parcel = :a OR to_parcel = :b",
      soci::use(a), soci::use(b), soci::into(n);
  return n > 0;
}

}  // namespace

Result<Parcel> ReviewService::merge(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& ids_versions,
    const std::string& user) {
  auto actor = person(user);
  if (!actor) return std::unexpected(actor.error());
  if (ids_versions.size() < 2)
    return fail(ErrorKind::invalid_input, "parcels: name at least two parcels to merge");
  return store::in_transaction(m_conn, [&]() -> Result<Parcel> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    std::vector<std::int64_t> ids;
    for (const auto& [id, v] : ids_versions) ids.push_back(id);
    auto parcels = rows.load(ids, true);
    if (parcels.size() != std::set<std::int64_t>(ids.begin(), ids.end()).size() ||
        parcels.size() != ids.size())
      return fail(ErrorKind::invalid_input, "parcels: unknown or repeated parcel ids");
    for (auto& p : parcels) {
      auto v = std::find_if(ids_versions.begin(), ids_versions.end(),
                            [&](const auto& iv) { return iv.first == p.id; });
      if (auto ok = may_regroup(p, v->second, *actor, now); !ok) return std::unexpected(ok.error());
      if (p.split_from || has_moves(m_conn, p.id))
        return fail(ErrorKind::conflict,
                    "parcel " + std::to_string(p.id) + " is split: unsplit it before merging");
      if (p.merge_key != parcels.front().merge_key)
        return fail(ErrorKind::invalid_input,
                    "parcels " + std::to_string(parcels.front().id) + " and " +
                        std::to_string(p.id) + " go to different buyers or addresses" +
                        (m_s.merge_across_shops ? "" : " (or shops)") + ": they cannot merge");
    }
    std::sort(parcels.begin(), parcels.end(), [](const Parcel& a, const Parcel& b) {
      return std::tie(a.pay_time, a.id) < std::tie(b.pay_time, b.id);
    });
    Parcel& target = parcels.front();
    std::string problems;
    for (const auto& p : parcels)
      if (p.state == State::problem) problems += (problems.empty() ? "" : "; ") + p.problem;
    std::vector<ParcelEvent> events;
    std::vector<std::int64_t> absorbed;
    for (std::size_t i = 1; i < parcels.size(); ++i) {
      Parcel& p = parcels[i];
      p.merged_into = target.id;
      p.problem.clear();
      events.push_back(advance(p, State::merged, "merged", user,
                               "merged into parcel " + std::to_string(target.id), now));
      rows.update(p);
      absorbed.push_back(p.id);
    }
    m_conn.sql() << "UPDATE parcel_trades SET parcel_id = " + std::to_string(target.id) +
                        " WHERE parcel_id IN (" + id_list(absorbed) + ")";
    target.problem = problems;
    events.push_back(advance(target, problems.empty() ? State::ready : State::problem, "merged",
                             user, "took in parcels " + id_list(absorbed), now));
    rows.update(target);
    rows.add_events(events);
    rows.mirror(rows.home_tids(target.id), problems.empty() ? "ready" : "problem");
    return target;
  });
}

Result<std::vector<Parcel>> ReviewService::unmerge(std::int64_t id, std::int64_t version,
                                                   const std::string& user) {
  auto actor = person(user);
  if (!actor) return std::unexpected(actor.error());
  return store::in_transaction(m_conn, [&]() -> Result<std::vector<Parcel>> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    auto target = rows.load_one(id, true);
    if (!target) return fail(ErrorKind::not_found, "no parcel " + std::to_string(id));
    if (auto ok = may_regroup(*target, version, *actor, now, true); !ok)
      return std::unexpected(ok.error());
    if (has_moves(m_conn, id))
      return fail(ErrorKind::conflict,
                  "parcel " + std::to_string(id) + " is split: unsplit it before unmerging");
    std::vector<std::int64_t> origins;
    std::vector<orders::Tid> all_tids;
    {
      soci::rowset<soci::row> rs =
          (m_conn.sql().prepare << "SELECT origin_parcel, tid FROM parcel_trades WHERE "
                                   "parcel_id = " +
                                       std::to_string(id));
      for (const auto& r : rs) {
        all_tids.push_back(get_int(r, 1));
        if (get_int(r, 0) != id) origins.push_back(get_int(r, 0));
      }
    }
    if (origins.empty())
      return fail(ErrorKind::conflict, "parcel " + std::to_string(id) + " holds no merged trades");
    m_conn.sql() << "UPDATE parcel_trades SET parcel_id = origin_parcel WHERE parcel_id = " +
                        std::to_string(id);
    auto flags = rows.trade_flags(all_tids);
    auto homes = rows.home_tids(origins);
    homes[id] = rows.home_tids(id);
    // Each parcel comes back ready, or intercepted when one of its trades was.
    auto state_for = [&](std::int64_t pid, const std::string& keep_problem) {
      for (auto tid : homes[pid])
        if (flags[tid].fstate == "intercepted")
          return std::pair{State::intercepted,
                           "trade " + std::to_string(tid) + ": " + flags[tid].reason};
      return keep_problem.empty() ? std::pair{State::ready, std::string()}
                                  : std::pair{State::problem, keep_problem};
    };
    std::vector<ParcelEvent> events;
    std::vector<Parcel> out;
    const Parcel before = *target;
    auto [tstate, tproblem] =
        state_for(id, target->state == State::problem ? target->problem : std::string());
    target->problem = tproblem;
    events.push_back(
        advance(*target, tstate, "unmerged", user, "gave back parcels " + id_list(origins), now));
    leave_approved(rows, before, id);
    rows.update(*target);
    rows.mirror(homes[id], to_string(tstate) == "intercepted" ? "ready" : to_string(tstate));
    out.push_back(*target);
    for (auto& p : rows.load(origins, true)) {
      auto [state, problem] = state_for(p.id, "");
      p.merged_into.reset();
      p.problem = problem;
      events.push_back(
          advance(p, state, "unmerged", user, "split out of parcel " + std::to_string(id), now));
      rows.update(p);
      rows.mirror(homes[p.id], "ready");
      out.push_back(p);
    }
    rows.add_events(events);
    return out;
  });
}

Result<Parcel> ReviewService::split(std::int64_t id, std::int64_t version,
                                    const std::vector<std::int64_t>& oids,
                                    const std::string& user) {
  auto actor = person(user);
  if (!actor) return std::unexpected(actor.error());
  if (oids.empty()) return fail(ErrorKind::invalid_input, "oids: name the lines to split off");
  return store::in_transaction(m_conn, [&]() -> Result<Parcel> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    auto p = rows.load_one(id, true);
    if (!p) return fail(ErrorKind::not_found, "no parcel " + std::to_string(id));
    if (auto ok = may_regroup(*p, version, *actor, now); !ok) return std::unexpected(ok.error());
    if (p->split_from)
      return fail(ErrorKind::conflict, "parcel " + std::to_string(id) + " was split off parcel " +
                                           std::to_string(*p->split_from) +
                                           ": split that one instead");
    auto lines = rows.lines(std::span(&id, 1))[id];
    std::set<std::int64_t> wanted(oids.begin(), oids.end());
    std::vector<store::SqlValue> moves;
    for (const auto& pl : lines)
      if (wanted.erase(pl.line.oid)) {
        store::SqlValue row[] = {pl.line.oid, pl.tid, id, std::int64_t{0}};
        moves.insert(moves.end(), std::begin(row), std::end(row));
      }
    if (!wanted.empty())
      return fail(ErrorKind::invalid_input, "oids: line " + std::to_string(*wanted.begin()) +
                                                " is not in parcel " + std::to_string(id));
    if (moves.size() / 4 == lines.size())
      return fail(ErrorKind::invalid_input,
                  "oids: a split must leave at least one line in parcel " + std::to_string(id));
    Parcel child = *p;
    child.id = rows.reserve_ids(1);
    child.version = 1;
    child.split_from = id;
    child.merged_into.reset();
    child.created_at = child.updated_at = now;
    for (std::size_t i = 3; i < moves.size(); i += 4) moves[i] = child.id;
    rows.insert(std::span(&child, 1));
    static constexpr std::array<std::string_view, 4> k_move_columns{"oid", "tid", "from_parcel",
                                                                    "to_parcel"};
    rows.writer().insert("parcel_line_moves", k_move_columns, moves);
    std::vector<ParcelEvent> events;
    events.push_back({child.id, now, user, "split", "", std::string(to_string(child.state)), 1,
                      "split off parcel " + std::to_string(id) + ": " +
                          std::to_string(moves.size() / 4) + " lines"});
    events.push_back(advance(*p, p->state, "split", user,
                             "lines moved to parcel " + std::to_string(child.id), now));
    if (p->state == State::in_review) {
      p->claim_holder = child.claim_holder;  // the holder keeps both
      p->claim_expires = child.claim_expires;
    }
    rows.update(*p);
    rows.add_events(events);
    return child;
  });
}

Result<Parcel> ReviewService::unsplit(std::int64_t id, std::int64_t version,
                                      const std::string& user) {
  auto actor = person(user);
  if (!actor) return std::unexpected(actor.error());
  return store::in_transaction(m_conn, [&]() -> Result<Parcel> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    auto child = rows.load_one(id, true);
    if (!child) return fail(ErrorKind::not_found, "no parcel " + std::to_string(id));
    if (!child->split_from)
      return fail(ErrorKind::conflict, "parcel " + std::to_string(id) + " was not split off");
    if (auto ok = may_regroup(*child, version, *actor, now); !ok)
      return std::unexpected(ok.error());
    auto parent = rows.load_one(*child->split_from, true);
    if (!parent) return fail(ErrorKind::internal, "split parent missing");
    if (auto ok = may_regroup(*parent, parent->version, *actor, now, true); !ok)
      return std::unexpected(ok.error());
    m_conn.sql() << "DELETE FROM parcel_line_moves WHERE to_parcel = " + std::to_string(id);
    std::vector<ParcelEvent> events;
    child->merged_into = parent->id;
    events.push_back(advance(*child, State::merged, "unsplit", user,
                             "lines back in parcel " + std::to_string(parent->id), now));
    rows.update(*child);
    const Parcel before = *parent;
    const State back = parent->state == State::approved ? State::ready : parent->state;
    events.push_back(advance(*parent, back, "unsplit", user,
                             "took back the lines of parcel " + std::to_string(id), now));
    if (before.state == State::in_review) {
      parent->claim_holder = before.claim_holder;
      parent->claim_expires = before.claim_expires;
    }
    leave_approved(rows, before, parent->id);
    rows.update(*parent);
    if (before.state == State::approved) rows.mirror(rows.home_tids(parent->id), "ready");
    rows.add_events(events);
    return *parent;
  });
}

}  // namespace fulfil::review
