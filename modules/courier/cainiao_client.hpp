#pragma once
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "courier/remote.hpp"
#include "outbound/http_client.hpp"
#include "platform/top_client.hpp"

namespace fulfil::courier {

// How a courier's waybills come from Cainiao's e-waybill service: through the TOP gateway
// with the credentials of a configured platform shop.
struct CainiaoSettings {
  std::string shop;  // the [[shops]] entry whose app key and session are authorised
  std::string template_url = "http://cloudprint.cainiao.com/template/standard/101";
  int in_flight = 8;  // calls on the wire at once (each carries up to 10 parcels)
};

// Cainiao e-waybill client for one courier (cp_code): cainiao.waybill.ii.get with up to 10
// parcels a call and many calls in flight, keyed by object_id (our waybill key: a repeat
// returns the same waybill); cainiao.waybill.ii.cancel. A call the service refuses for one
// bad address is asked again parcel by parcel, so one bad address costs only its own parcel.
class CainiaoClient {
 public:
  static constexpr std::size_t k_per_call = 10;
  CainiaoClient(outbound::HttpClient& http, const Clock& clock, platform::TopSettings top,
                std::string shop, std::string cp_code, CainiaoSettings settings)
      : m_top(http, clock, std::move(top), std::move(shop)),
        m_http(http),
        m_cp(std::move(cp_code)),
        m_settings(std::move(settings)) {}
  std::vector<Result<WaybillAnswer>> get_many(std::span<const WaybillRequest> requests);
  Result<void> cancel(const std::string& waybill_code);

 private:
  outbound::HttpRequest get_request(std::span<const WaybillRequest> chunk);
  // Fills `out` for the chunk; refused_whole says the service refused the call as a whole
  // (one bad address), so its parcels are asked again one by one.
  void read_answer(std::span<const WaybillRequest> chunk, Result<outbound::HttpResponse> r,
                   std::span<Result<WaybillAnswer>> out, bool& refused_whole);
  platform::TopClient m_top;
  outbound::HttpClient& m_http;
  std::string m_cp;
  CainiaoSettings m_settings;
};

}  // namespace fulfil::courier
