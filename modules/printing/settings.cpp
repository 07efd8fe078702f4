#include "printing/settings.hpp"

namespace fulfil::printing {

std::string_view to_string(LabelKind k) {
  return k == LabelKind::waybill ? "waybill" : "packing_list";
}

std::optional<LabelKind> parse_label_kind(std::string_view s) {
  if (s == "waybill") return LabelKind::waybill;
  if (s == "packing_list") return LabelKind::packing_list;
  return std::nullopt;
}

const PrinterSettings* PrintSettings::find(const std::string& name) const {
  for (const auto& p : printers)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace fulfil::printing
