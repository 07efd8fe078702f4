#pragma once
#include <map>
#include <set>
#include <string>

#include "common/error.hpp"
#include "common/money.hpp"
#include "courier/settings.hpp"

namespace fulfil::courier {

// What the rules look at in a parcel.
struct ParcelFacts {
  std::string province;  // normalised ("浙江省")
  std::string city;      // normalised ("杭州市")
  std::string buyer_message;
  Fen value = 0;
};

// Parcels given to each courier today so far (Shanghai day).
struct DayCounts {
  std::map<std::string, std::int64_t> per_courier;
  std::int64_t total() const;
};

// The courier chosen and why, in words a person reads.
struct Allocation {
  std::string courier;
  std::string reason;
};

// Chooses a parcel's courier. In order: couriers that cannot take it are out (a region they
// do not serve, their daily capacity reached); the buyer's requested courier ("请发顺丰");
// a region rule; then balance: the courier furthest below its target share of today's
// parcels (ties: lower cost, then code). When none can take it: invalid_input with every
// courier's reason, which parks the parcel as a problem.
// `dry` names couriers that ran out of waybill numbers; `refused`, couriers that refused
// this parcel, each with its own answer (the reason shown when nobody can take it).
Result<Allocation> allocate(const ParcelFacts& parcel, const CourierSettings& settings,
                            const DayCounts& today, const std::set<std::string>& dry = {},
                            const std::map<std::string, std::string>& refused = {});

// True when `region` ("新疆", "杭州", "浙江省") names the parcel's province or city.
bool region_matches(const std::string& region, const ParcelFacts& parcel);

}  // namespace fulfil::courier
