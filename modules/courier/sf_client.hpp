#pragma once
#include <optional>
#include <string>
#include <vector>

#include <span>
#include "common/clock.hpp"
#include "common/error.hpp"
#include "courier/remote.hpp"
#include "outbound/http_client.hpp"

namespace fulfil::courier {

// How to reach SF's open platform as one customer.
struct SfSettings {
  std::string base_url = "https://sfapi.sf-express.com/std/service";
  std::string partner_id;
  std::string check_word;  // a secret
  std::string monthly_card;
  int express_type = 2;  // 顺丰标快
  int in_flight = 32;    // requests on the wire at once
};

// SF Express open platform client: form fields partnerID, requestID, serviceCode,
// timestamp, msgDigest, msgData; the digest exactly as the spec defines it. create() is
// idempotent on order_id: a duplicate (8016, the order exists after a lost answer) is
// answered by querying the existing order instead of creating another.
class SfClient {
 public:
  SfClient(outbound::HttpClient& http, const Clock& clock, SfSettings settings)
      : m_http(http), m_clock(clock), m_settings(std::move(settings)) {}
  Result<WaybillAnswer> create(const WaybillRequest& request);
  // Many creates with up to `in_flight` on the wire at once; answers in request order.
  std::vector<Result<WaybillAnswer>> create_many(std::span<const WaybillRequest> requests,
                                                 std::size_t in_flight);
  // The same, each answer handed to `sink` as it is settled (a lost answer's order search
  // included), in the order they arrive.
  void create_each(std::span<const WaybillRequest> requests, std::size_t in_flight,
                   const AnswerSink& sink);
  // The order as SF has it (EXP_RECE_SEARCH_ORDER_RESP); not_found when SF has none.
  Result<WaybillAnswer> find(const std::string& order_id);
  // Cancels an unused waybill (EXP_RECE_UPDATE_ORDER, dealType 2); 8037 (already
  // cancelled) counts as done.
  Result<void> cancel(const std::string& order_id);

 private:
  outbound::HttpRequest request(std::string_view service, const std::string& msg_data,
                                bool resend_safe);
  // The business msgData of an answer, or the error it means; a refusal of our
  // credentials (A1003, A1004, A1006) also opens SF's breaker with the reason.
  Result<std::string> read(std::string_view service, Result<outbound::HttpResponse> r);
  std::string peer() const { return "sf:" + m_settings.partner_id; }
  Result<std::string> call(std::string_view service, const std::string& msg_data);
  outbound::HttpClient& m_http;
  const Clock& m_clock;
  SfSettings m_settings;
};

}  // namespace fulfil::courier
