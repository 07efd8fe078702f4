#pragma once
// The packing module owns the pack station's work (tables `pack_work`, `pack_lines`): which
// station holds a parcel, each line verified by scanning its items (验货) or marked short
// with a reason, the weight, and the move of a verified parcel to `packed` (and its ship
// confirmation, when [shipping] confirm_at = "packed").
#include "packing/migrations.hpp"
#include "packing/pack_service.hpp"
