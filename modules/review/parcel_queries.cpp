// The read side of review: parcel detail, lists and queue sizes.
#include <map>

#include "review/review_service.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::review {

using store::get_int;
using store::get_text;

Result<std::optional<ParcelDetail>> ReviewService::detail(std::int64_t id) {
  return store::guarded([&]() -> Result<std::optional<ParcelDetail>> {
    ParcelRows rows(m_conn);
    auto p = rows.load_one(id, false);
    if (!p) return std::optional<ParcelDetail>();
    ParcelDetail d;
    d.parcel = *p;
    d.tids = rows.shipped_tids(std::span(&id, 1))[id];
    d.lines = rows.lines(std::span(&id, 1))[id];
    long long pid = id;
    soci::rowset<soci::row> rs =
        (m_conn.sql().prepare << "SELECT at, actor, kind, from_state, to_state, version, detail "
                                 "FROM parcel_events WHERE parcel_id = :p ORDER BY id",
         soci::use(pid));
    for (const auto& r : rs)
      d.events.push_back({id, get_int(r, 0), get_text(r, 1), get_text(r, 2), get_text(r, 3),
                          get_text(r, 4), get_int(r, 5), get_text(r, 6)});
    return std::optional<ParcelDetail>(std::move(d));
  });
}

Result<std::vector<Parcel>> ReviewService::list(const ParcelFilter& f) {
  return store::guarded([&]() -> Result<std::vector<Parcel>> {
    ParcelRows rows(m_conn);
    std::string tail = "WHERE id > " + std::to_string(f.after_id);
    if (f.state) tail += " AND state = '" + std::string(to_string(*f.state)) + "'";
    // Slice names come from the config, which allows only plain names; checked by caller.
    if (!f.slice.empty()) tail += " AND slice = '" + f.slice + "'";
    tail += " ORDER BY id LIMIT " + std::to_string(std::clamp(f.limit, 1, 500));
    return rows.load_where(tail);
  });
}

Result<QueueStats> ReviewService::stats() {
  return store::guarded([&]() -> Result<QueueStats> {
    QueueStats out;
    std::map<std::string, SliceCount> slices;
    for (const auto& s : m_s.slicing.slices)
      slices[s.name] = {s.name, describe_range(m_s.slicing, s), s.reviewers, 0, 0, 0};
    soci::rowset<soci::row> rs =
        (m_conn.sql().prepare << "SELECT slice, state, key_rank, COUNT(*) FROM parcels WHERE "
                                 "state IN ('ready', 'in_review') GROUP BY slice, state, key_rank");
    for (const auto& r : rs) {
      auto& s = slices[get_text(r, 0)];
      if (s.slice.empty()) s.slice = get_text(r, 0) + " (no longer configured)";
      const std::int64_t n = get_int(r, 3);
      if (get_text(r, 1) == "ready") {
        s.ready += n;
        if (get_int(r, 2) == 0) s.key_city_ready += n;
      } else {
        s.in_review += n;
      }
    }
    for (auto& [name, s] : slices) out.slices.push_back(s);
    std::map<std::string, std::int64_t> by_state;
    for (int i = 0; i <= static_cast<int>(State::packed); ++i)
      by_state[std::string(to_string(static_cast<State>(i)))] = 0;
    soci::rowset<soci::row> st =
        (m_conn.sql().prepare << "SELECT state, COUNT(*) FROM parcels GROUP BY state");
    for (const auto& r : st) by_state[get_text(r, 0)] = get_int(r, 1);
    out.by_state.assign(by_state.begin(), by_state.end());
    long long waiting = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM trade_signals", soci::into(waiting);
    out.signals_waiting = waiting;
    return out;
  });
}

Result<std::optional<std::int64_t>> ReviewService::parcel_of(orders::Tid tid) {
  return store::guarded([&]() -> Result<std::optional<std::int64_t>> {
    long long t = tid, id = 0;
    soci::indicator ind = soci::i_null;
    m_conn.sql() << "SELECT parcel_id FROM parcel_trades WHERE tid = :t", soci::use(t),
        soci::into(id, ind);
    if (!m_conn.sql().got_data() || ind != soci::i_ok) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(id);
  });
}

}  // namespace fulfil::review
