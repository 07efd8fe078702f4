#pragma once
// Module common: the value types and helpers every fulfild module shares.
// It owns: Error/Result, the logging front end, Clock, money (integer fen), time
// conversions (UTC storage, GMT+8 platform text), UTF-8 checks and digests.
// It knows nothing about orders, stores or the network.
#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/money.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"
