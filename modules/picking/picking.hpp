#pragma once
// The picking module owns 配货 (tables `pick_waves`, `pick_wave_parcels`, `pick_progress`): a
// wave is a batch of parcels waiting for the pack stations, picked together on one walk
// through the store in bin-location order (the promo zone, 活动专区, first) and sorted into
// slots numbered in serial order, which the pack station shows when it scans a parcel.
#include "picking/migrations.hpp"
#include "picking/walk_order.hpp"
#include "picking/wave_service.hpp"
