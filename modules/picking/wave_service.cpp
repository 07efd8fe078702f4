#include "picking/wave_service.hpp"

#include <algorithm>
#include <set>

#include "orders/serial.hpp"
#include "review/checks.hpp"
#include "review/parcel_rows.hpp"
#include "review/stock.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::picking {

using store::get_int;
using store::get_opt_int;
using store::get_text;

namespace {

// The states of a parcel that waits for (or is at) the pack station.
constexpr const char* k_waiting = "('approved', 'waybill', 'printed')";

std::string stop_of(const review::Parcel& p) {
  if (p.state != review::State::intercepted && p.state != review::State::cancelled) return {};
  std::string why(review::to_string(p.state));
  return p.problem.empty() ? why : why + ": " + p.problem;
}

Result<Wave> no_wave(std::int64_t id) {
  return fail(ErrorKind::not_found, "no wave " + std::to_string(id));
}

}  // namespace

int Wave::items() const {
  int n = 0;
  for (const auto& l : lines) n += l.quantity;
  return n;
}

int Wave::picked_items() const {
  int n = 0;
  for (const auto& l : lines) n += std::min(l.picked, l.quantity);
  return n;
}

std::optional<Wave> WaveService::load(std::int64_t id) {
  Wave w;
  long long wid = id;
  soci::rowset<soci::row> head =
      (m_conn.sql().prepare << "SELECT id, state, created_by, created_at, picked_by, picked_at "
                               "FROM pick_waves WHERE id = :i",
       soci::use(wid));
  bool found = false;
  for (const auto& r : head) {
    found = true;
    w.id = get_int(r, 0);
    w.state = get_text(r, 1);
    w.created_by = get_text(r, 2);
    w.created_at = get_int(r, 3);
    w.picked_by = get_text(r, 4);
    w.picked_at = get_opt_int(r, 5);
  }
  if (!found) return std::nullopt;

  std::map<std::int64_t, int> slot_of_parcel;
  std::vector<std::int64_t> ids;
  soci::rowset<soci::row> members =
      (m_conn.sql().prepare
           << "SELECT parcel_id, slot FROM pick_wave_parcels WHERE wave_id = :i ORDER BY slot",
       soci::use(wid));
  for (const auto& r : members) {
    ids.push_back(get_int(r, 0));
    slot_of_parcel[ids.back()] = static_cast<int>(get_int(r, 1));
  }
  review::ParcelRows rows(m_conn);
  std::map<std::int64_t, std::string> stops;
  for (const auto& p : rows.load(ids, false)) {
    stops[p.id] = stop_of(p);
    w.parcels.push_back({slot_of_parcel[p.id], p.id,
                         orders::Serial{static_cast<int>(p.serial_day), p.serial_seq}.text(),
                         std::string(review::to_string(p.state)), stops[p.id]});
  }
  std::sort(w.parcels.begin(), w.parcels.end(),
            [](const WaveParcel& a, const WaveParcel& b) { return a.slot < b.slot; });

  std::vector<PickNeed> needs;
  std::set<std::string> skus;
  auto lines = rows.lines(ids);
  for (const auto& [parcel_id, parcel_lines] : lines)
    for (const auto& pl : parcel_lines) {
      std::string sku = review::sku_of(pl.line);
      if (sku.empty()) sku = pl.line.title;  // a listing without codes still gets picked
      skus.insert(sku);
      needs.push_back({sku, pl.line.title, pl.line.sku_properties, "", slot_of_parcel[parcel_id],
                       pl.line.num, !stops[parcel_id].empty()});
    }
  const auto locations = review::StockRepository(m_conn).locations(skus);
  for (auto& n : needs)
    if (auto it = locations.find(n.sku); it != locations.end()) n.location = it->second;
  w.lines = walk(needs, m_settings.promo_zone);

  soci::rowset<soci::row> progress =
      (m_conn.sql().prepare
           << "SELECT sku, picked, short_reason FROM pick_progress WHERE wave_id = :i",
       soci::use(wid));
  for (const auto& r : progress)
    for (auto& l : w.lines)
      if (l.sku == get_text(r, 0)) {
        l.picked = static_cast<int>(get_int(r, 1));
        l.short_reason = get_text(r, 2);
      }
  return w;
}

Result<Wave> WaveService::create(int size, const std::string& user) {
  if (size < 1 || size > k_max_wave_size)
    return fail(ErrorKind::invalid_input,
                "size: expected 1-" + std::to_string(k_max_wave_size) + " parcels");
  return store::in_transaction(m_conn, [&]() -> Result<Wave> {
    const bool pg = m_conn.dialect() == store::Dialect::postgresql;
    review::ParcelRows rows(m_conn);
    // Two daemons making waves at once skip each other's parcels; the key of
    // pick_wave_parcels refuses whatever slips through.
    auto chosen = rows.load_where(
        "WHERE state IN " + std::string(k_waiting) +
        " AND NOT EXISTS (SELECT 1 FROM pick_wave_parcels w WHERE w.parcel_id = parcels.id) "
        "ORDER BY key_rank, pay_time, id LIMIT " +
        std::to_string(size) + (pg ? " FOR UPDATE SKIP LOCKED" : ""));
    if (chosen.empty())
      return fail(ErrorKind::not_found,
                  "no parcel waits to be picked: every approved parcel "
                  "is in a wave already");
    // Slots follow the serials, so the sorter finds a parcel's slot by its number.
    std::sort(chosen.begin(), chosen.end(), [](const review::Parcel& a, const review::Parcel& b) {
      return std::tie(a.serial_day, a.serial_seq, a.id) <
             std::tie(b.serial_day, b.serial_seq, b.id);
    });
    long long id = 0, now = m_clock.now();
    m_conn.sql() << "INSERT INTO pick_waves (state, created_by, created_at) VALUES ('picking', "
                    ":u, :n) RETURNING id",
        soci::use(user), soci::use(now), soci::into(id);
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      long long pid = chosen[i].id, slot = static_cast<long long>(i + 1);
      m_conn.sql() << "INSERT INTO pick_wave_parcels (parcel_id, wave_id, slot) VALUES (:p, :w, "
                      ":s)",
          soci::use(pid), soci::use(id), soci::use(slot);
    }
    return *load(id);
  });
}

Result<Wave> WaveService::get(std::int64_t id) {
  return store::guarded([&]() -> Result<Wave> {
    auto w = load(id);
    if (!w) return no_wave(id);
    return *w;
  });
}

Result<std::vector<WaveSummary>> WaveService::list(int limit) {
  return store::guarded([&]() -> Result<std::vector<WaveSummary>> {
    std::vector<WaveSummary> out;
    long long n = std::clamp(limit, 1, 500);
    // Open waves, then the newest picked ones; counts come from each wave's own load.
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT id FROM pick_waves ORDER BY CASE WHEN state = "
                                 "'picking' THEN 0 ELSE 1 END, id DESC LIMIT :n",
         soci::use(n));
    std::vector<std::int64_t> ids;
    for (const auto& r : rows) ids.push_back(get_int(r, 0));
    for (auto id : ids) {
      auto w = load(id);
      if (!w) continue;
      out.push_back({w->id, w->state, w->created_by, w->picked_by, w->created_at,
                     static_cast<int>(w->parcels.size()), w->items(), w->picked_items()});
    }
    return out;
  });
}

Result<Wave> WaveService::pick(std::int64_t id, const std::string& sku, int picked,
                               const std::string& short_reason, const std::string& user) {
  if (short_reason.size() > 200)
    return fail(ErrorKind::invalid_input, "short_reason: at most 200 bytes");
  return store::in_transaction(m_conn, [&]() -> Result<Wave> {
    long long wid = id;
    // Lock the wave: two tablets ticking one wave take turns.
    m_conn.sql() << "UPDATE pick_waves SET state = state WHERE id = :i", soci::use(wid);
    auto w = load(id);
    if (!w) return no_wave(id);
    if (w->state != "picking")
      return fail(ErrorKind::conflict, "wave " + std::to_string(id) + " is " + w->state +
                                           " already: nothing more is picked for it");
    auto line = std::find_if(w->lines.begin(), w->lines.end(),
                             [&](const PickLine& l) { return l.sku == sku; });
    if (line == w->lines.end())
      return fail(ErrorKind::invalid_input, "sku: wave " + std::to_string(id) + " needs no " + sku);
    if (picked < 0 || picked > line->quantity)
      return fail(ErrorKind::invalid_input,
                  "picked: expected 0-" + std::to_string(line->quantity) + " of " + sku);
    if (picked == line->quantity && !short_reason.empty())
      return fail(ErrorKind::invalid_input, "short_reason: the line is complete, nothing is short");
    long long count = picked, now = m_clock.now();
    m_conn.sql() << "DELETE FROM pick_progress WHERE wave_id = :w AND sku = :s", soci::use(wid),
        soci::use(sku);
    m_conn.sql() << "INSERT INTO pick_progress (wave_id, sku, picked, short_reason, user_name, "
                    "at) VALUES (:w, :s, :p, :r, :u, :a)",
        soci::use(wid), soci::use(sku), soci::use(count), soci::use(short_reason), soci::use(user),
        soci::use(now);
    return *load(id);
  });
}

Result<Wave> WaveService::finish(std::int64_t id, const std::string& user) {
  return store::in_transaction(m_conn, [&]() -> Result<Wave> {
    long long wid = id;
    m_conn.sql() << "UPDATE pick_waves SET state = state WHERE id = :i", soci::use(wid);
    auto w = load(id);
    if (!w) return no_wave(id);
    if (w->state != "picking") return *w;  // finished twice: the same answer
    std::string open;
    for (const auto& l : w->lines)
      if (!l.done()) open += (open.empty() ? "" : ", ") + l.sku;
    if (!open.empty())
      return fail(ErrorKind::conflict,
                  "lines not picked yet (pick them or say why they are short): " + open);
    long long now = m_clock.now();
    m_conn.sql() << "UPDATE pick_waves SET state = 'picked', picked_by = :u, picked_at = :n "
                    "WHERE id = :i",
        soci::use(user), soci::use(now), soci::use(wid);
    return *load(id);
  });
}

Result<std::vector<BestSeller>> WaveService::best_sellers(int limit) {
  return store::guarded([&]() -> Result<std::vector<BestSeller>> {
    long long n = std::clamp(limit, 1, 200);
    std::vector<BestSeller> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
             << "SELECT r.sku, SUM(r.qty), COUNT(DISTINCT r.parcel_id), MAX(s.location) FROM "
                "stock_reservations r JOIN parcels p ON p.id = r.parcel_id LEFT JOIN stock s ON "
                "s.sku = r.sku WHERE p.state IN " +
                    std::string(k_waiting) +
                    " GROUP BY r.sku ORDER BY SUM(r.qty) DESC, r.sku LIMIT :n",
         soci::use(n));
    for (const auto& r : rows) {
      BestSeller b{get_text(r, 0), get_text(r, 3), get_int(r, 1), get_int(r, 2), false};
      b.in_promo_zone = in_promo_zone(b.location, m_settings.promo_zone);
      out.push_back(std::move(b));
    }
    return out;
  });
}

std::optional<WaveSlot> wave_slot_of(store::Connection& conn, std::int64_t parcel_id) {
  long long pid = parcel_id, wave = 0, slot = 0;
  conn.sql() << "SELECT wave_id, slot FROM pick_wave_parcels WHERE parcel_id = :p", soci::use(pid),
      soci::into(wave), soci::into(slot);
  if (!conn.sql().got_data()) return std::nullopt;
  return WaveSlot{wave, static_cast<int>(slot)};
}

}  // namespace fulfil::picking
