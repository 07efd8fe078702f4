#pragma once
#include <boost/json/object.hpp>

#include "review/review_service.hpp"
#include "review/stock.hpp"

namespace fulfil::daemon::api {

// JSON shapes of review (see daemon/api/openapi.yaml): parcel ids are numbers, tids and
// oids strings, times Shanghai ISO text.
boost::json::object parcel_json(const review::Parcel& p);
boost::json::object parcel_detail_json(const review::ParcelDetail& d);
boost::json::object queue_stats_json(const review::QueueStats& s);
boost::json::object stock_json(const review::StockLevel& s);

}  // namespace fulfil::daemon::api
