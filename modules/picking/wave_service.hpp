#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "picking/settings.hpp"
#include "picking/walk_order.hpp"
#include "store/database.hpp"

namespace fulfil::picking {

// A parcel of a wave, in its slot.
struct WaveParcel {
  int slot = 0;
  std::int64_t parcel_id = 0;
  std::string serial, state;
  std::string stop;  // why it must not be picked any more (intercepted, cancelled); or empty
};

struct Wave {
  std::int64_t id = 0;
  std::string state;  // picking, picked
  std::string created_by, picked_by;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> picked_at;
  std::vector<WaveParcel> parcels;  // by slot
  std::vector<PickLine> lines;      // in walk order
  int items() const;
  int picked_items() const;
};

// A wave in a list: without its lines.
struct WaveSummary {
  std::int64_t id = 0;
  std::string state, created_by, picked_by;
  UnixSeconds created_at = 0;
  int parcels = 0, items = 0, picked = 0;
};

// An SKU that many waiting parcels need: a candidate for the promo zone.
struct BestSeller {
  std::string sku, location;
  long long quantity = 0, parcels = 0;
  bool in_promo_zone = false;
};

// The slot of a parcel in its wave, for the pack station.
struct WaveSlot {
  std::int64_t wave_id = 0;
  int slot = 0;
};

// Waves: made from parcels that wait for the pack stations (approved, waybill, printed) and
// are in no wave yet, oldest first with key cities ahead; picked line by line; finished
// when every line is picked or marked short.
class WaveService {
 public:
  WaveService(store::Connection& conn, const Clock& clock, PickingSettings settings)
      : m_conn(conn), m_clock(clock), m_settings(std::move(settings)) {}

  // A new wave of up to `size` parcels (1-k_max_wave_size). not_found: none is waiting.
  Result<Wave> create(int size, const std::string& user);
  Result<Wave> get(std::int64_t id);
  // Waves still being picked, then the newest picked ones, `limit` in all.
  Result<std::vector<WaveSummary>> list(int limit);
  // Sets how many of `sku` are picked (an absolute count, so a tablet may resend it) and,
  // when fewer than needed, optionally why the rest is short.
  Result<Wave> pick(std::int64_t id, const std::string& sku, int picked,
                    const std::string& short_reason, const std::string& user);
  // Every line picked or short: the wave goes to the pack stations. conflict otherwise,
  // naming the open lines.
  Result<Wave> finish(std::int64_t id, const std::string& user);
  // The SKUs waiting parcels need most (promo zone candidates), most first.
  Result<std::vector<BestSeller>> best_sellers(int limit);

 private:
  std::optional<Wave> load(std::int64_t id);
  store::Connection& m_conn;
  const Clock& m_clock;
  PickingSettings m_settings;
};

// The wave and slot of a parcel, if it is in one (the pack station shows it). Throws on
// database errors.
std::optional<WaveSlot> wave_slot_of(store::Connection& conn, std::int64_t parcel_id);

}  // namespace fulfil::picking
