#pragma once
// The outbound module owns every call the daemon makes to an outside system over HTTP:
// one curl_multi client on the event loop (keep-alive, timeouts, retries with jittered
// backoff, Retry-After, a circuit breaker per peer), fan-out of many requests, form
// encoding, and the retry loop protocol clients wrap around their calls. It knows no
// protocol: the TOP gateway, couriers and tracking build their requests on it.
#include "outbound/curl_multi_client.hpp"
#include "outbound/fanout.hpp"
#include "outbound/form_encoding.hpp"
#include "outbound/http_client.hpp"
#include "outbound/retry.hpp"
