#pragma once
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "outbound/form_encoding.hpp"
#include "outbound/http_client.hpp"
#include "platform/top_signer.hpp"
#include "platform/trade_parser.hpp"

namespace fulfil::platform {

// How to reach the gateway as one shop.
struct TopSettings {
  std::string base_url = "https://eco.taobao.com/router/rest";
  std::string app_key;
  std::string app_secret;
  std::string session;
  SignMethod sign_method = SignMethod::hmac_sha256;
};

// One page of trades.
struct TradePage {
  ParsedTrades parsed;
  bool has_next = false;
  std::optional<std::int64_t> total_results;
};

// Client of the TOP REST gateway: system parameters, GMT+8 timestamp, signature, and the
// error envelope (which comes with HTTP 200) mapped onto error kinds:
// code 7 -> rate_limited; isp.* sub codes, 10 and 15 -> remote_retry; 25-29 and 11/12
// (signature, session, app key, permissions) -> auth; everything else -> remote_reject.
class TopClient {
 public:
  TopClient(outbound::HttpClient& http, const Clock& clock, TopSettings settings, std::string shop)
      : m_http(http), m_clock(clock), m_settings(std::move(settings)), m_shop(std::move(shop)) {}

  // Calls `method` with business parameters; returns the `<method>_response` object. The
  // returned value lives in an arena reused by the next call.
  Result<const boost::json::object*> call(std::string_view method, outbound::Params business);
  // The two halves of call(), for callers that keep many requests on the wire at once:
  // the signed request, and the reading of its answer (into the same reused arena).
  outbound::HttpRequest prepare(std::string_view method, outbound::Params business);
  Result<const boost::json::object*> read(std::string_view method,
                                          Result<outbound::HttpResponse> response);

  // taobao.trades.sold.increment.get for [start, end) by modified time.
  Result<TradePage> trades_sold_increment_get(UnixSeconds start, UnixSeconds end, int page_no,
                                              int page_size, bool use_has_next);
  // taobao.trades.sold.get for trades created in [start, end).
  Result<TradePage> trades_sold_get(UnixSeconds start, UnixSeconds end, int page_no, int page_size,
                                    bool use_has_next);

  const std::string& shop() const { return m_shop; }

 private:
  Result<TradePage> trade_page(std::string_view method, outbound::Params business);
  outbound::HttpClient& m_http;
  const Clock& m_clock;
  TopSettings m_settings;
  std::string m_shop;
  // The parse arena: a fresh monotonic_resource per answer over one retained buffer. (Boost
  // 1.81's release() keeps doubling its next block size, so one reused resource eventually
  // asks for an absurd block; a fresh one on a warm buffer is as fast.)
  std::unique_ptr<unsigned char[]> m_arena_buffer{new unsigned char[k_arena_bytes]};
  std::optional<boost::json::monotonic_resource> m_arena;
  boost::json::value m_last;
  static constexpr std::size_t k_arena_bytes = 1 << 20;
};

// The root key of a method's answer: "taobao.trades.sold.get" -> "trades_sold_get_response".
std::string response_key(std::string_view method);

}  // namespace fulfil::platform
