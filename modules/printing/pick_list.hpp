#pragma once
#include <string>

#include "layout/label_data.hpp"
#include "picking/wave_service.hpp"

namespace fulfil::printing {

// A wave's values for a pick_list template: the wave in its fields, each stop of the walk a
// line (stops with nothing left to pick, for parcels stopped since, are left out).
printers::LabelData pick_list_data(const picking::Wave& wave, const std::string& warehouse,
                                   UnixSeconds now);

}  // namespace fulfil::printing
