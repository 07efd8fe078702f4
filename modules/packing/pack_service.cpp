#include "packing/pack_service.hpp"

#include "courier/waybill_service.hpp"
#include "reports/shipment_search.hpp"
#include "review/checks.hpp"
#include "review/transitions.hpp"
#include "store/row_reader.hpp"

namespace fulfil::packing {

using store::get_int;
using store::get_text;

bool PackView::verified() const {
  for (const auto& l : lines)
    if (!l.done()) return false;
  return !lines.empty();
}

std::optional<PackView> PackService::load(std::int64_t parcel_id, bool lock) {
  review::ParcelRows rows(m_conn);
  auto p = rows.load_one(parcel_id, lock);
  if (!p) return std::nullopt;
  PackView v;
  v.parcel = *p;
  const std::int64_t ids[] = {parcel_id};
  long long pid = parcel_id;
  auto lines = rows.lines(ids);  // kept: a loop over lines(ids)[id] would outlive the map
  for (const auto& pl : lines[parcel_id]) {
    PackLine line;
    line.oid = pl.line.oid;
    line.title = pl.line.title;
    line.sku_properties = pl.line.sku_properties;
    line.sku = review::sku_of(pl.line);
    line.expected = pl.line.num;
    soci::rowset<soci::row> stock =
        (m_conn.sql().prepare << "SELECT barcode, location FROM stock WHERE sku = :s",
         soci::use(line.sku));
    for (const auto& r : stock) {
      line.barcode = get_text(r, 0);
      line.location = get_text(r, 1);
    }
    v.lines.push_back(std::move(line));
  }
  soci::rowset<soci::row> done =
      (m_conn.sql().prepare
           << "SELECT oid, verified, short_reason FROM pack_lines WHERE parcel_id = :p",
       soci::use(pid));
  for (const auto& r : done)
    for (auto& l : v.lines)
      if (l.oid == get_int(r, 0)) {
        l.verified = static_cast<int>(get_int(r, 1));
        l.short_reason = get_text(r, 2);
      }
  soci::rowset<soci::row> work =
      (m_conn.sql().prepare << "SELECT station, user_name, updated_at, weight_g, packed_at FROM "
                               "pack_work WHERE parcel_id = :p",
       soci::use(pid));
  for (const auto& r : work) {
    v.station = get_text(r, 0);
    v.user = get_text(r, 1);
    v.held_until_idle = get_int(r, 2);
    if (auto w = store::get_opt_int(r, 3)) v.weight_g = *w;
    if (auto at = store::get_opt_int(r, 4)) v.packed_at = *at;
  }
  soci::rowset<soci::row> waybill =
      (m_conn.sql().prepare << "SELECT courier, waybill_no FROM waybills WHERE parcel_id = :p "
                               "AND state = 'issued'",
       soci::use(pid));
  for (const auto& r : waybill) {
    v.courier = get_text(r, 0);
    v.waybill_no = get_text(r, 1);
  }
  if (p->state == review::State::intercepted)
    v.stop = "intercepted" + (p->problem.empty() ? std::string() : ": " + p->problem);
  if (p->state == review::State::cancelled)
    v.stop = "cancelled" + (p->problem.empty() ? std::string() : ": " + p->problem);
  return v;
}

std::optional<Refusal> PackService::may_work(const PackView& v, const std::string& station) {
  using review::State;
  if (!v.stop.empty()) return Refusal{"stop", "STOP — do not ship: " + v.stop};
  if (v.packed_at)
    return Refusal{"packed", "packed already at station " + v.station + " by " + v.user};
  if (v.parcel.state != State::waybill && v.parcel.state != State::printed)
    return Refusal{"not_packable", "the parcel is " +
                                       std::string(review::to_string(v.parcel.state)) +
                                       ": not ready to pack (it has no waybill yet)"};
  if (!v.station.empty() && v.station != station &&
      m_clock.now() - v.held_until_idle < k_hold_idle_seconds)
    return Refusal{"held_elsewhere",
                   "station " + v.station + " (" + v.user + ") is packing this parcel"};
  return std::nullopt;
}

void PackService::hold(const PackView& v, const std::string& station, const std::string& user) {
  long long pid = v.parcel.id, now = m_clock.now();
  if (v.station.empty()) {
    m_conn.sql() << "INSERT INTO pack_work (parcel_id, station, user_name, started_at, "
                    "updated_at) VALUES (:p, :s, :u, :n, :n2)",
        soci::use(pid), soci::use(station), soci::use(user), soci::use(now), soci::use(now);
    return;
  }
  if (v.station != station)  // taken over from an idle station: its items are not here
    m_conn.sql() << "DELETE FROM pack_lines WHERE parcel_id = :p", soci::use(pid);
  m_conn.sql() << "UPDATE pack_work SET station = :s, user_name = :u, updated_at = :n WHERE "
                  "parcel_id = :p",
      soci::use(station), soci::use(user), soci::use(now), soci::use(pid);
}

Result<std::optional<PackView>> PackService::find(std::string_view code) {
  auto found = reports::ShipmentSearch(m_conn).locate(code);
  if (!found) return std::unexpected(found.error());
  // A scanner reads codes, not names: a buyer nick that happens to match is not a parcel.
  const auto& by = found->matched_by;
  if (found->ids.empty() || (by != "tid" && by != "serial" && by != "waybill"))
    return std::optional<PackView>();
  return store::guarded(
      [&]() -> Result<std::optional<PackView>> { return load(found->ids.front(), false); });
}

namespace {

Result<PackOutcome> no_parcel(std::int64_t id) {
  return fail(ErrorKind::not_found, "no parcel " + std::to_string(id));
}

}  // namespace

Result<PackOutcome> PackService::start(std::int64_t parcel_id, const std::string& station,
                                       const std::string& user) {
  return store::in_transaction(m_conn, [&]() -> Result<PackOutcome> {
    auto v = load(parcel_id, true);
    if (!v) return no_parcel(parcel_id);
    if (auto refused = may_work(*v, station)) return PackOutcome{*v, refused};
    hold(*v, station, user);
    return PackOutcome{*load(parcel_id, false), std::nullopt};
  });
}

Result<PackOutcome> PackService::scan(std::int64_t parcel_id, const std::string& station,
                                      const std::string& user, const std::string& barcode) {
  return store::in_transaction(m_conn, [&]() -> Result<PackOutcome> {
    auto v = load(parcel_id, true);
    if (!v) return no_parcel(parcel_id);
    if (auto refused = may_work(*v, station)) return PackOutcome{*v, refused};
    // The stock file's barcode of an item, or else the SKU printed on it.
    std::string sku = barcode, owner;
    m_conn.sql() << "SELECT sku FROM stock WHERE barcode = :b", soci::use(barcode),
        soci::into(owner);
    if (m_conn.sql().got_data() && !owner.empty()) sku = owner;
    PackLine* room = nullptr;
    const PackLine* same = nullptr;
    for (auto& l : v->lines)
      if (l.sku == sku) {
        same = &l;
        if (!room && !l.done()) room = &l;
      }
    if (!same) {
      long long known = 0;
      m_conn.sql() << "SELECT COUNT(*) FROM stock WHERE sku = :s", soci::use(sku),
          soci::into(known);
      if (known == 0)
        return PackOutcome{
            *v, Refusal{"unknown_barcode", "barcode " + barcode + " is no item of the stock file"}};
      return PackOutcome{*v,
                         Refusal{"wrong_item", "WRONG ITEM: " + sku + " is not in this parcel"}};
    }
    if (!room)
      return PackOutcome{
          *v, Refusal{"over_scan", "one too many: all " + std::to_string(same->expected) + " of " +
                                       sku + " are scanned already"}};
    hold(*v, station, user);
    long long pid = parcel_id, oid = room->oid, verified = room->verified + 1;
    m_conn.sql() << "DELETE FROM pack_lines WHERE parcel_id = :p AND oid = :o", soci::use(pid),
        soci::use(oid);
    m_conn.sql() << "INSERT INTO pack_lines (parcel_id, oid, verified, short_reason) VALUES (:p, "
                    ":o, :v, :r)",
        soci::use(pid), soci::use(oid), soci::use(verified), soci::use(room->short_reason);
    return PackOutcome{*load(parcel_id, false), std::nullopt};
  });
}

Result<PackOutcome> PackService::mark_short(std::int64_t parcel_id, const std::string& station,
                                            const std::string& user, std::int64_t oid,
                                            const std::string& reason) {
  if (reason.empty()) return fail(ErrorKind::invalid_input, "reason: say why the line is short");
  return store::in_transaction(m_conn, [&]() -> Result<PackOutcome> {
    auto v = load(parcel_id, true);
    if (!v) return no_parcel(parcel_id);
    if (auto refused = may_work(*v, station)) return PackOutcome{*v, refused};
    const PackLine* line = nullptr;
    for (const auto& l : v->lines)
      if (l.oid == oid) line = &l;
    if (!line)
      return fail(ErrorKind::invalid_input,
                  "oid: " + std::to_string(oid) + " is no line of this parcel");
    hold(*v, station, user);
    long long pid = parcel_id, o = oid, verified = line->verified;
    m_conn.sql() << "DELETE FROM pack_lines WHERE parcel_id = :p AND oid = :o", soci::use(pid),
        soci::use(o);
    m_conn.sql() << "INSERT INTO pack_lines (parcel_id, oid, verified, short_reason) VALUES (:p, "
                    ":o, :v, :r)",
        soci::use(pid), soci::use(o), soci::use(verified), soci::use(reason);
    return PackOutcome{*load(parcel_id, false), std::nullopt};
  });
}

Result<PackOutcome> PackService::finish(std::int64_t parcel_id, const std::string& station,
                                        const std::string& user, std::int64_t weight_g) {
  if (weight_g < 1 || weight_g > 100000)
    return fail(ErrorKind::invalid_input, "weight_g: expected 1-100000 grams");
  return store::in_transaction(m_conn, [&]() -> Result<PackOutcome> {
    auto v = load(parcel_id, true);
    if (!v) return no_parcel(parcel_id);
    if (auto refused = may_work(*v, station)) return PackOutcome{*v, refused};
    if (!v->verified()) {
      std::string missing;
      for (const auto& l : v->lines)
        if (!l.done())
          missing += (missing.empty() ? "" : ", ") + l.sku + " " + std::to_string(l.verified) +
                     "/" + std::to_string(l.expected);
      return PackOutcome{*v, Refusal{"not_verified", "not every item is scanned: " + missing}};
    }
    if (v->parcel.state != review::State::printed)
      return PackOutcome{*v, Refusal{"not_printed",
                                     "its labels have not printed yet: print "
                                     "them before it is packed"}};
    hold(*v, station, user);
    const UnixSeconds now = m_clock.now();
    review::ParcelRows rows(m_conn);
    const review::Actor packer{user, static_cast<review::Roles>(review::Role::automatic)};
    auto moved = review::move_parcels(
        rows, {v->parcel}, review::Action::pack, packer,
        "packed at station " + station + ", " + std::to_string(weight_g) + " g", now);
    if (moved.empty())
      return PackOutcome{*v,
                         Refusal{"not_packable", "the parcel changed meanwhile: scan it again"}};
    long long pid = parcel_id, w = weight_g, at = now;
    m_conn.sql() << "UPDATE pack_work SET weight_g = :w, packed_at = :a WHERE parcel_id = :p",
        soci::use(w), soci::use(at), soci::use(pid);
    if (m_confirm_at == courier::ConfirmAt::packed)
      courier::queue_confirmations_of(m_conn, rows, moved, now);
    return PackOutcome{*load(parcel_id, false), std::nullopt};
  });
}

}  // namespace fulfil::packing
