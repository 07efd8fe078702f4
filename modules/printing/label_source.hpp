#pragma once
#include <map>
#include <span>

#include "courier/settings.hpp"
#include "layout/label_data.hpp"
#include "printing/settings.hpp"
#include "store/database.hpp"

namespace fulfil::printing {

// The label fields of parcels (printers/layout/label_data.hpp lists them): receiver and
// items from their trades, courier and number from their issued waybill, sender from
// [shipping.sender], return address and warehouse from [printing]. Parcels without an
// issued waybill are left out. Throws on database errors.
std::map<std::int64_t, printers::LabelData> label_data(store::Connection& conn,
                                                       std::span<const std::int64_t> parcel_ids,
                                                       const courier::CourierSettings& shipping,
                                                       const PrintSettings& printing,
                                                       UnixSeconds now);

}  // namespace fulfil::printing
