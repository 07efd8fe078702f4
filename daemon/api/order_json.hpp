#pragma once
#include <boost/json/value.hpp>

#include "store/order_queries.hpp"
#include "store/quarantine_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::daemon::api {

// JSON shapes of the API (see daemon/api/openapi.yaml). Money is integer fen with a yuan
// text beside it; times are ISO 8601 in Asia/Shanghai; tids are strings (19 digits do not
// survive JavaScript numbers).
boost::json::object line_json(const orders::TradeLine& l);
boost::json::object order_summary_json(const store::OrderDetail& d);
boost::json::object order_detail_json(const store::OrderDetail& d);
boost::json::object sync_state_json(const store::SyncState& s, UnixSeconds now);
boost::json::object quarantine_json(const store::QuarantineEntry& e);

}  // namespace fulfil::daemon::api
