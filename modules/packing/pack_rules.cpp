#include "packing/pack_rules.hpp"

namespace fulfil::packing {

bool PackView::verified() const {
  for (const auto& l : lines)
    if (!l.done()) return false;
  return !lines.empty();
}

std::optional<Refusal> may_work(const PackView& v, const std::string& station, UnixSeconds now) {
  using review::State;
  if (!v.stop.empty()) return Refusal{"stop", "STOP — do not ship: " + v.stop};
  if (v.packed_at)
    return Refusal{"packed", "packed already at station " + v.station + " by " + v.user};
  if (v.parcel.state != State::waybill && v.parcel.state != State::printed)
    return Refusal{"not_packable", "the parcel is " +
                                       std::string(review::to_string(v.parcel.state)) +
                                       ": not ready to pack (it has no waybill yet)"};
  if (!v.station.empty() && v.station != station && now - v.held_until_idle < k_hold_idle_seconds)
    return Refusal{"held_elsewhere",
                   "station " + v.station + " (" + v.user + ") is packing this parcel"};
  return std::nullopt;
}

std::variant<std::size_t, Refusal> line_for_item(const PackView& v, const std::string& sku,
                                                 const std::string& scanned, bool sku_known) {
  std::optional<std::size_t> room, same;
  for (std::size_t i = 0; i < v.lines.size(); ++i)
    if (v.lines[i].sku == sku) {
      if (!same) same = i;
      if (!room && !v.lines[i].done()) room = i;
    }
  if (room) return *room;
  if (!same) {
    if (!sku_known)
      return Refusal{"unknown_barcode", "barcode " + scanned + " is no item of the stock file"};
    return Refusal{"wrong_item", "WRONG ITEM: " + sku + " is not in this parcel"};
  }
  return Refusal{"over_scan", "one too many: all " + std::to_string(v.lines[*same].expected) +
                                  " of " + sku + " are scanned already"};
}

std::optional<Refusal> may_finish(const PackView& v) {
  if (!v.verified()) {
    std::string missing;
    for (const auto& l : v.lines)
      if (!l.done())
        missing += (missing.empty() ? "" : ", ") + l.sku + " " + std::to_string(l.verified) + "/" +
                   std::to_string(l.expected);
    return Refusal{"not_verified", "not every item is scanned: " + missing};
  }
  if (v.parcel.state != review::State::printed)
    return Refusal{"not_printed",
                   "its labels have not printed yet: print them before it is packed"};
  return std::nullopt;
}

}  // namespace fulfil::packing
