#pragma once
// modules/aftersale (fulfil_aftersale): what comes back. Owns the tables `returns` and
// `return_lines` (a return parcel checked in: found by its tracking number or the form's
// barcode, or recorded unidentified until matched), `exchanges` (the replacement trade an
// exchange makes, its price difference), `slips` (what customer service is told, a
// versioned JSON document) and `outbox` (slips still to be delivered). Delivers slips to
// the customer-service module over ZeroMQ (DEALER to its ROUTER, acks by slip id, resends,
// CURVE with a ZAP handler) and publishes shipment status changes on a PUB socket.
// Replacement goods enter as a trade of the warehouse's own (orders::k_exchange_tid_base),
// so review, waybills and printing treat them like any other parcel.
#include "aftersale/migrations.hpp"
#include "aftersale/return_service.hpp"
#include "aftersale/settings.hpp"
#include "aftersale/slip_sender.hpp"
#include "aftersale/status_feed.hpp"
