// The one list of the daemon's capabilities. A new capability is a folder under
// capabilities/ and a line here.
#include "capabilities.hpp"

#include "capabilities/aftersale/aftersale_capability.hpp"
#include "capabilities/identity/identity_capability.hpp"
#include "capabilities/packing/packing_capability.hpp"
#include "capabilities/picking/picking_capability.hpp"
#include "capabilities/printing/printing_capability.hpp"
#include "capabilities/reminders/reminders_capability.hpp"
#include "capabilities/review/review_capability.hpp"
#include "capabilities/service/service_capability.hpp"
#include "capabilities/shipping/shipping_capability.hpp"
#include "capabilities/stock/stock_capability.hpp"
#include "capabilities/sync/sync_capability.hpp"
#include "capabilities/tracking/tracking_capability.hpp"

namespace fulfil::daemon {

std::vector<std::unique_ptr<Capability>> make_capabilities() {
  std::vector<std::unique_ptr<Capability>> list;
  list.push_back(make_identity_capability());
  list.push_back(make_sync_capability());
  list.push_back(make_review_capability());
  list.push_back(make_shipping_capability());
  list.push_back(make_tracking_capability());
  list.push_back(make_printing_capability());
  list.push_back(make_stock_capability());
  list.push_back(make_picking_capability());
  list.push_back(make_packing_capability());
  list.push_back(make_aftersale_capability());
  list.push_back(make_reminders_capability());
  list.push_back(make_service_capability());
  return list;
}

}  // namespace fulfil::daemon
