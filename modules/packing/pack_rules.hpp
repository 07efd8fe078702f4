#pragma once
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "picking/wave_service.hpp"
#include "review/parcel_rows.hpp"

namespace fulfil::packing {

// One line of a parcel as the packer verifies it.
struct PackLine {
  std::int64_t oid = 0;
  std::string title, sku_properties, sku, barcode, location;
  int expected = 0, verified = 0;
  std::string short_reason;  // set when the rest of the line is missing
  bool done() const { return verified >= expected || !short_reason.empty(); }
};

// A parcel at the pack station.
struct PackView {
  review::Parcel parcel;
  std::string courier, waybill_no;
  std::vector<PackLine> lines;
  std::string station, user;        // who holds it (empty: nobody)
  UnixSeconds held_until_idle = 0;  // the hold's last step
  std::optional<UnixSeconds> packed_at;
  std::optional<std::int64_t> weight_g;
  std::optional<picking::WaveSlot> wave;  // the wave it was picked in, and its slot there
  // Why it must not leave, whatever step it is at (intercepted, cancelled); empty if none.
  std::string stop;
  bool verified() const;
};

// A step the station may not take, with the parcel as it is: nothing was changed.
// code: stop, held_elsewhere, packed, wrong_item, over_scan, unknown_barcode,
// not_verified, not_printed, not_packable.
struct Refusal {
  std::string code, message;
};

struct PackOutcome {
  PackView view;
  std::optional<Refusal> refused;
};

// How long a station's hold lasts without a step before another station may take over.
inline constexpr std::int64_t k_hold_idle_seconds = 15 * 60;

// The pack station's rules, pure (no store): PackService applies them in one transaction.
// Whether `station` may take a step on the parcel at `now`; nullopt: it may.
std::optional<Refusal> may_work(const PackView& v, const std::string& station, UnixSeconds now);
// The line an item of `sku` verifies (its index), or why none does (`sku_known`: the stock
// file knows the SKU, so a miss is a wrong item rather than an unknown barcode).
std::variant<std::size_t, Refusal> line_for_item(const PackView& v, const std::string& sku,
                                                 const std::string& scanned, bool sku_known);
// Whether a verified parcel may be packed now (every line done, its labels printed).
std::optional<Refusal> may_finish(const PackView& v);

}  // namespace fulfil::packing
