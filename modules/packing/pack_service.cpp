#include "packing/pack_service.hpp"

#include <algorithm>

#include "courier/waybill_service.hpp"
#include "reports/shipment_search.hpp"
#include "review/checks.hpp"
#include "review/transitions.hpp"
#include "store/row_reader.hpp"

namespace fulfil::packing {

using store::get_int;
using store::get_text;

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
  v.wave = picking::wave_slot_of(m_conn, parcel_id);
  if (p->state == review::State::intercepted)
    v.stop = "intercepted" + (p->problem.empty() ? std::string() : ": " + p->problem);
  if (p->state == review::State::cancelled)
    v.stop = "cancelled" + (p->problem.empty() ? std::string() : ": " + p->problem);
  return v;
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
    if (auto refused = may_work(*v, station, m_clock.now())) return PackOutcome{*v, refused};
    hold(*v, station, user);
    return PackOutcome{*load(parcel_id, false), std::nullopt};
  });
}

Result<PackOutcome> PackService::scan(std::int64_t parcel_id, const std::string& station,
                                      const std::string& user, const std::string& barcode) {
  return store::in_transaction(m_conn, [&]() -> Result<PackOutcome> {
    auto v = load(parcel_id, true);
    if (!v) return no_parcel(parcel_id);
    if (auto refused = may_work(*v, station, m_clock.now())) return PackOutcome{*v, refused};
    // The stock file's barcode of an item, or else the SKU printed on it.
    std::string sku = barcode, owner;
    m_conn.sql() << "SELECT sku FROM stock WHERE barcode = :b", soci::use(barcode),
        soci::into(owner);
    if (m_conn.sql().got_data() && !owner.empty()) sku = owner;
    long long known = 0;  // asked only when the item is not the parcel's
    if (std::none_of(v->lines.begin(), v->lines.end(),
                     [&](const PackLine& l) { return l.sku == sku; }))
      m_conn.sql() << "SELECT COUNT(*) FROM stock WHERE sku = :s", soci::use(sku),
          soci::into(known);
    auto line = line_for_item(*v, sku, barcode, known > 0);
    if (auto* refused = std::get_if<Refusal>(&line)) return PackOutcome{*v, *refused};
    const PackLine* room = &v->lines[std::get<std::size_t>(line)];
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
    if (auto refused = may_work(*v, station, m_clock.now())) return PackOutcome{*v, refused};
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
    if (auto refused = may_work(*v, station, m_clock.now())) return PackOutcome{*v, refused};
    if (auto refused = may_finish(*v)) return PackOutcome{*v, refused};
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
