#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulfil::picking {

// What one parcel of a wave needs of one SKU.
struct PickNeed {
  std::string sku, title, spec, location;
  int slot = 0;  // the parcel's slot in the wave
  int quantity = 0;
  bool stopped = false;  // intercepted or cancelled since the wave was made: do not pick
};

// One stop of the walk: an SKU at its location, how many to take and into which slots.
struct PickLine {
  int no = 0;
  std::string sku, title, spec, location;
  bool promo = false;                      // in the promo zone
  int quantity = 0;                        // for parcels still going out
  std::vector<std::pair<int, int>> slots;  // (slot, quantity), slots ascending
  int picked = 0;
  std::string short_reason;
  // Picked for parcels stopped since: to be put back (or never picked).
  int put_back() const { return picked > quantity ? picked - quantity : 0; }
  bool done() const { return picked >= quantity || !short_reason.empty(); }
};

// Locations in the order a picker walks them: text compared piece by piece with runs of
// digits as numbers, so "A-2-10" comes after "A-2-9" and "B-1" after both.
bool location_before(std::string_view a, std::string_view b);
// A location in the promo zone (活动专区) is one that starts with its prefix.
bool in_promo_zone(std::string_view location, std::string_view promo_zone);
// The walk: one line per SKU, the promo zone first (it sits by the pack stations), then by
// location, SKUs without a location last; stopped parcels' needs left out of quantities.
std::vector<PickLine> walk(const std::vector<PickNeed>& needs, std::string_view promo_zone);
// "#1×2 #4" (slot 1 takes two, slot 4 one): what the sorter reads on the list.
std::string slots_text(const std::vector<std::pair<int, int>>& slots);

}  // namespace fulfil::picking
