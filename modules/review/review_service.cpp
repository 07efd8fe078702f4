#include "review/review_service.hpp"

#include <algorithm>
#include <set>

#include "common/log.hpp"
#include "review/approval.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::review {

using store::get_int;
using store::get_text;

Result<Actor> ReviewService::person(const std::string& user) const {
  if (user.empty())
    return fail(ErrorKind::forbidden, "who is acting? a review action needs a logged-in person");
  Actor a{user, m_s.roles_of(user)};
  if (a.roles == 0)
    return fail(ErrorKind::forbidden, user +
                                          " is not a reviewer, problem handler or supervisor "
                                          "in the config");
  return a;
}

Result<IntakeReport> ReviewService::intake(int max_batches) {
  IntakeReport total;
  for (int i = 0; i < max_batches; ++i) {
    auto r = store::in_transaction(m_conn, [&]() -> Result<IntakeReport> {
      ParcelRows rows(m_conn);
      return intake_batch(rows, m_s, m_clock.now());
    });
    if (!r) return std::unexpected(r.error());
    total += *r;
    if (r->signals == 0) break;
  }
  return total;
}

Result<ReviewService::AutoReport> ReviewService::auto_approve(int max_batches) {
  AutoReport total;
  const Actor automatic{"auto", static_cast<Roles>(Role::automatic)};
  for (int i = 0; i < max_batches; ++i) {
    auto r = store::in_transaction(m_conn, [&]() -> Result<AutoReport> {
      ParcelRows rows(m_conn);
      const UnixSeconds now = m_clock.now();
      std::string tail = "WHERE state = 'ready' ORDER BY key_rank, pay_time, id LIMIT " +
                         std::to_string(std::max(1, m_s.batch));
      if (m_conn.dialect() == store::Dialect::postgresql) tail += " FOR UPDATE SKIP LOCKED";
      auto parcels = rows.load_where(tail);
      std::erase_if(parcels, [&](const Parcel& p) {
        return !decide(p.facts(), Action::approve, automatic, std::nullopt, now);
      });
      auto outcome = approve_parcels(rows, parcels, m_s, automatic.name, now);
      return AutoReport{static_cast<int>(outcome.approved.size()),
                        static_cast<int>(outcome.parked.size()),
                        static_cast<int>(outcome.intercepted.size())};
    });
    if (!r) return std::unexpected(r.error());
    total.approved += r->approved;
    total.parked += r->parked;
    total.intercepted += r->intercepted;
    if (r->approved + r->parked + r->intercepted == 0) break;
  }
  return total;
}

Result<int> ReviewService::expire_claims() {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    ParcelRows rows(m_conn);
    return static_cast<int>(rows.expire_claims(m_clock.now(), 100000).size());
  });
}

Result<int> ReviewService::apply_slicing() {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    const std::string fingerprint = m_s.slicing_fingerprint();
    std::string stored;
    soci::indicator ind = soci::i_null;
    m_conn.sql() << "SELECT value FROM review_settings WHERE name = 'slicing'",
        soci::into(stored, ind);
    if (m_conn.sql().got_data() && ind == soci::i_ok && stored == fingerprint) return 0;
    int changed = 0;
    const std::string live = " WHERE state IN ('ready', 'in_review', 'problem')";
    for (const auto& slice : m_s.slicing.slices) {
      soci::statement st = (m_conn.sql().prepare << "UPDATE parcels SET slice = :s" + live +
                                                        " AND slice <> :s2 AND (" +
                                                        slice_condition(m_s.slicing, slice) + ")",
                            soci::use(slice.name), soci::use(slice.name));
      st.execute(true);
      changed += static_cast<int>(st.get_affected_rows());
    }
    // Key cities: the normalised city with and without its 市.
    std::vector<std::string> forms;
    for (const auto& c : m_s.key_cities) {
      std::string bare = c.ends_with("市") ? c.substr(0, c.size() - 3) : c;
      forms.push_back(bare);
      forms.push_back(bare + "市");
    }
    std::string in;
    for (std::size_t i = 0; i < forms.size(); ++i) in += (i ? ", :c" : ":c") + std::to_string(i);
    soci::statement st =
        (m_conn.sql().prepare << "UPDATE parcels SET key_rank = CASE WHEN city IN (" +
                                     (forms.empty() ? std::string("NULL") : in) +
                                     ") THEN 0 ELSE 1 END" + live);
    for (auto& f : forms) st.exchange(soci::use(f));
    st.define_and_bind();
    st.execute(true);
    m_conn.sql() << "INSERT INTO review_settings (name, value) VALUES ('slicing', :v) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        soci::use(fingerprint);
    log::info("review queue re-sliced", {{"moved", changed}});
    return changed;
  });
}

Result<std::vector<Parcel>> ReviewService::claim(const std::string& user, int n) {
  auto actor = person(user);
  if (!actor) return std::unexpected(actor.error());
  const Slice* slice = m_s.slice_of_reviewer(user);
  if (!slice)
    return fail(ErrorKind::forbidden, user + " has no slice of the review queue in the config");
  if (n < 1 || n > m_s.max_claim)
    return fail(ErrorKind::invalid_input,
                "n: expected 1-" + std::to_string(m_s.max_claim) + " parcels per claim");
  return store::in_transaction(m_conn, [&]() -> Result<std::vector<Parcel>> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    long long held = 0, at = now;
    m_conn.sql() << "SELECT COUNT(*) FROM parcels WHERE state = 'in_review' AND claim_holder = "
                    ":u AND claim_expires >= :n",
        soci::use(user), soci::use(at), soci::into(held);
    if (held >= m_s.max_held)
      return fail(ErrorKind::conflict,
                  user + " holds " + std::to_string(held) +
                      " parcels already (max_held = " + std::to_string(m_s.max_held) +
                      "): approve, park or release some before claiming more");
    const int take = static_cast<int>(std::min<long long>(n, m_s.max_held - held));
    return rows.claim(slice->name, take, user, now + m_s.lease_seconds, now);
  });
}

Result<ActionResult> ReviewService::act(std::int64_t id, Action action, const std::string& user,
                                        std::int64_t version, const std::string& note) {
  auto actor = person(user);
  if (!actor) return std::unexpected(actor.error());
  const bool needs_note =
      action == Action::park || action == Action::cancel || (action == Action::release);
  return store::in_transaction(m_conn, [&]() -> Result<ActionResult> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    auto p = rows.load_one(id, true);
    if (!p) return fail(ErrorKind::not_found, "no parcel " + std::to_string(id));
    auto to = decide(p->facts(), action, *actor, version, now);
    if (!to) return std::unexpected(to.error());
    if (needs_note && note.empty() && !(action == Action::release && p->state == State::in_review))
      return fail(ErrorKind::invalid_input, "note: say why (it goes into the parcel's history)");
    if (action == Action::approve) {
      std::vector<Parcel> one{*p};
      auto outcome = approve_parcels(rows, one, m_s, user, now);
      std::string why = !outcome.parked.empty()        ? outcome.parked.front().second
                        : !outcome.intercepted.empty() ? outcome.intercepted.front().second
                                                       : "";
      return ActionResult{one.front(), why};
    }
    const Parcel before = *p;
    if (*to == State::problem) p->problem = note;
    if (action == Action::release && before.state == State::problem) {
      p->waived = true;  // a person looked: the checks do not park it again
      p->problem.clear();
    }
    auto event = advance(*p, *to, to_string(action), user, note, now);
    if (before.state == State::approved) leave_approved(rows, before, p->id);
    rows.update(*p);
    rows.add_events(std::span(&event, 1));
    const auto tids = rows.home_tids(p->id);
    switch (*to) {
      case State::problem:
        rows.mirror(tids, "problem", before.state == State::intercepted);
        break;
      case State::cancelled:
        rows.mirror(tids, "cancelled", true);
        break;
      case State::ready:
        if (before.state != State::in_review) rows.mirror(tids, "ready");
        break;
      default:
        break;
    }
    return ActionResult{*p, ""};
  });
}

Result<std::vector<Oversold>> ReviewService::shortage() {
  return store::in_transaction(m_conn, [&]() -> Result<std::vector<Oversold>> {
    ParcelRows rows(m_conn);
    const UnixSeconds now = m_clock.now();
    std::vector<Oversold> out;
    {
      soci::rowset<soci::row> rs =
          (m_conn.sql().prepare << "SELECT sku, on_hand, reserved FROM stock WHERE reserved > "
                                   "on_hand ORDER BY sku");
      for (const auto& r : rs) out.push_back({get_text(r, 0), get_int(r, 1), get_int(r, 2), {}});
    }
    std::set<std::int64_t> to_park;
    for (auto& o : out) {
      std::int64_t covered = 0;
      soci::rowset<soci::row> rs =
          (m_conn.sql().prepare << "SELECT r.parcel_id, r.qty FROM stock_reservations r JOIN "
                                   "parcels p ON p.id = r.parcel_id WHERE r.sku = :s AND "
                                   "p.state = 'approved' ORDER BY r.pay_time, r.parcel_id",
           soci::use(o.sku));
      for (const auto& r : rs) {
        const std::int64_t qty = get_int(r, 1);
        if (covered + qty <= o.on_hand && !to_park.contains(get_int(r, 0)))
          covered += qty;
        else if (to_park.insert(get_int(r, 0)).second)
          o.parked.push_back(get_int(r, 0));
      }
    }
    const Actor automatic{"auto", static_cast<Roles>(Role::automatic)};
    std::vector<ParcelEvent> events;
    std::vector<std::int64_t> ids(to_park.begin(), to_park.end());
    for (auto& p : rows.load(ids, true)) {
      if (!decide(p.facts(), Action::park, automatic, std::nullopt, now)) continue;
      std::string why = "stock shortage found by the shortage job:";
      for (const auto& o : out)
        if (std::find(o.parked.begin(), o.parked.end(), p.id) != o.parked.end())
          why += " SKU " + o.sku + " oversold (" + std::to_string(o.on_hand) + " on hand, " +
                 std::to_string(o.reserved) + " reserved);";
      why.pop_back();
      const Parcel before = p;
      p.problem = why;
      events.push_back(advance(p, State::problem, "parked", "auto", why, now));
      leave_approved(rows, before, p.id);
      rows.update(p);
      rows.mirror(rows.home_tids(p.id), "problem");
    }
    rows.add_events(events);
    for (const auto& o : out)
      log::warn("oversold SKU", {{"sku", o.sku},
                                 {"on_hand", o.on_hand},
                                 {"reserved", o.reserved},
                                 {"parked", static_cast<std::int64_t>(o.parked.size())}});
    return out;
  });
}

}  // namespace fulfil::review
