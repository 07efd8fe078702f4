#include "capabilities/picking/wave_json.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"

namespace fulfil::daemon {

namespace json = boost::json;

json::object wave_json(const picking::Wave& w) {
  json::array parcels, lines;
  for (const auto& p : w.parcels)
    parcels.push_back(json::object{{"slot", p.slot},
                                   {"parcel_id", p.parcel_id},
                                   {"serial", p.serial},
                                   {"state", p.state},
                                   {"stop", api::text_or_null(p.stop)}});
  for (const auto& l : w.lines) {
    json::array slots;
    for (auto [slot, qty] : l.slots)
      slots.push_back(json::object{{"slot", slot}, {"quantity", qty}});
    lines.push_back(json::object{{"no", l.no},
                                 {"sku", l.sku},
                                 {"title", l.title},
                                 {"spec", l.spec},
                                 {"location", api::text_or_null(l.location)},
                                 {"promo", l.promo},
                                 {"quantity", l.quantity},
                                 {"picked", l.picked},
                                 {"put_back", l.put_back()},
                                 {"short_reason", api::text_or_null(l.short_reason)},
                                 {"done", l.done()},
                                 {"slots", std::move(slots)},
                                 {"slots_text", picking::slots_text(l.slots)}});
  }
  return {{"id", w.id},
          {"state", w.state},
          {"created_by", w.created_by},
          {"created_at", api::time_or_null(w.created_at)},
          {"picked_by", api::text_or_null(w.picked_by)},
          {"picked_at", api::time_or_null(w.picked_at)},
          {"items", w.items()},
          {"picked_items", w.picked_items()},
          {"parcels", std::move(parcels)},
          {"lines", std::move(lines)}};
}

json::object wave_summary_json(const picking::WaveSummary& w) {
  return {{"id", w.id},
          {"state", w.state},
          {"created_by", w.created_by},
          {"created_at", api::time_or_null(w.created_at)},
          {"picked_by", api::text_or_null(w.picked_by)},
          {"parcels", w.parcels},
          {"items", w.items},
          {"picked_items", w.picked}};
}

}  // namespace fulfil::daemon
