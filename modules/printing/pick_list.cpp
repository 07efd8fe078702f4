#include "printing/pick_list.hpp"

#include "common/timeutil.hpp"

namespace fulfil::printing {

printers::LabelData pick_list_data(const picking::Wave& wave, const std::string& warehouse,
                                   UnixSeconds now) {
  printers::LabelData d;
  auto& f = d.fields;
  f["wave"] = std::to_string(wave.id);
  f["wave_code"] = "W" + std::to_string(wave.id);
  f["created_by"] = wave.created_by;
  f["created_time"] = format_gmt8(wave.created_at).substr(0, 16);
  f["parcel_count"] = std::to_string(wave.parcels.size());
  f["item_count"] = std::to_string(wave.items());
  f["warehouse"] = warehouse;
  f["print_time"] = format_gmt8(now).substr(0, 16);
  std::string slots;
  for (const auto& p : wave.parcels) {
    if (!slots.empty()) slots += "  ";
    slots += "#" + std::to_string(p.slot) + " " + p.serial + (p.stop.empty() ? "" : " (停发)");
  }
  f["slots"] = slots;
  for (const auto& l : wave.lines) {
    if (l.quantity == 0) continue;
    const std::string location = l.location.empty() ? "（无库位）" : l.location;
    d.lines.push_back({{"no", std::to_string(l.no)},
                       {"location", l.promo ? "活动区 " + location : location},
                       {"sku", l.sku},
                       {"title", l.title},
                       {"spec", l.spec},
                       {"item", l.spec.empty() ? l.title : l.title + " " + l.spec},
                       {"qty", std::to_string(l.quantity)},
                       {"slots", picking::slots_text(l.slots)}});
  }
  return d;
}

}  // namespace fulfil::printing
