#pragma once
#include <cstddef>
#include <functional>
#include <optional>

#include "outbound/http_client.hpp"

namespace fulfil::outbound {

// Sends `count` requests with up to `in_flight` of them on the wire at once, and hands each
// answer to `on_answer` on the calling thread (so protocol code stays plain and
// sequential). `on_answer` may return a follow-up request for the same item (a duplicate
// answered by a query, say), which goes out in that item's slot. Returns when every item
// has its last answer.
using MakeRequest = std::function<HttpRequest(std::size_t item)>;
using OnAnswer =
    std::function<std::optional<HttpRequest>(std::size_t item, Result<HttpResponse> answer)>;
void fan_out(HttpClient& http, std::size_t count, std::size_t in_flight, const MakeRequest& make,
             const OnAnswer& on_answer);

}  // namespace fulfil::outbound
