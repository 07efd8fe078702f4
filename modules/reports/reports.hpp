#pragma once
// The reports module owns what people read across the other modules' tables without
// changing them: finding a shipment from whatever a buyer quotes (customer service), the
// supervisor's throughput per hour and courier quality, and the indexes those reads need.
#include "reports/courier_quality.hpp"
#include "reports/migrations.hpp"
#include "reports/shipment_search.hpp"
#include "reports/throughput.hpp"
