#pragma once
// Module courier: couriers and waybills for approved parcels.
// It owns: the couriers' settings and the allocation rules (reachability, the buyer's
// requested courier, region rules, balance by target share and daily capacity), the
// offline number pool (导入单号), waybills (one live per parcel, with the reason its courier
// was chosen), the day's counts per courier, the ship confirmations owed to the platform
// and the reconciliation with it (shipped here and not there, and the reverse). It moves
// parcels approved -> waybill through review's state machine; its tables (courier_numbers,
// waybills, courier_days, ship_confirmations, platform_reconciliations) are its own.
#include "courier/allocation.hpp"
#include "courier/migrations.hpp"
#include "courier/number_pool.hpp"
#include "courier/platform_reconciliation.hpp"
#include "courier/settings.hpp"
#include "courier/waybill_service.hpp"
