#pragma once
// Module review (审单): everything between a paid trade entering the warehouse and an
// approved parcel.
// It owns: parcels (one per trade, or several trades after a merge, or a split-off part)
// and their state machine (parcel_state: pure, documented in docs/parcel-states.md); the
// automatic checks that park problem parcels; merge and split; the slices that divide the
// queue between reviewers, with key cities first; claims under leases with the version as
// a fencing token; stock per SKU with reservations and the shortage job; auto-approval.
// Its tables (parcels, parcel_*, stock*, review_*) are written by no other module. It
// reads trades and takes the store's trade signals; it mirrors parcel states onto the
// trades' fstate so the order API shows them.
#include "review/migrations.hpp"
#include "review/parcel_state.hpp"
#include "review/review_service.hpp"
#include "review/settings.hpp"
#include "review/stock.hpp"
