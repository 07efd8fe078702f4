#pragma once
// Module orders: the domain model of a trade, with no storage or network in it.
// It owns: Trade/TradeLine, platform status classes, the fulfilment state machine
// (what a status change means for the warehouse: enter, hold, intercept), address
// normalisation (province/city/district with the platform's quirks) and serial numbers.
#include "orders/address.hpp"
#include "orders/fulfilment.hpp"
#include "orders/serial.hpp"
#include "orders/trade.hpp"
