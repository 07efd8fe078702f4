#pragma once
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "courier/tracking_state.hpp"
#include "outbound/http_client.hpp"

namespace fulfil::courier {

// The Kuaidi100 account and how the daemon uses it.
struct Kuaidi100Settings {
  std::string base_url = "https://poll.kuaidi100.com";
  std::string customer;      // the account id
  std::string key;           // a secret (FULFILD_KUAIDI100_KEY)
  std::string callback_url;  // push when set (our /api/v1/tracking/kuaidi100/callback)
  std::string salt;          // a secret (FULFILD_KUAIDI100_SALT): signs the callbacks
  int in_flight = 16;
};

// One event of a shipment's route.
struct TrackEvent {
  UnixSeconds at = 0;  // UTC
  std::string context, area, status;
};

// What Kuaidi100 knows of a shipment, newest event first as it answers.
struct Track {
  std::string com, number;
  int state_code = -1;
  std::optional<TrackState> state;  // mapped; empty for a code we do not know
  bool checked = false;             // ischeck: signed for, final
  std::vector<TrackEvent> events;
};

// Which shipment to ask about.
struct TrackQuery {
  std::string com, number, phone;  // phone: the receiver's, for couriers that check it (SF)
};

// Kuaidi100's API: query (POST /poll/query.do, sign = UPPER(MD5(param + key + customer))),
// subscription (POST /poll; 501 "already subscribed" is success), and the push callback
// (sign = UPPER(MD5(param + salt))). Error codes: 400 unknown courier and 408 phone check
// failed -> invalid_input; 500 no result yet -> not_found; 501/502 -> remote_retry;
// 503 bad signature and 601 key expired -> auth.
class Kuaidi100Client {
 public:
  Kuaidi100Client(outbound::HttpClient& http, Kuaidi100Settings settings)
      : m_http(http), m_settings(std::move(settings)) {}
  std::vector<Result<Track>> query_many(std::span<const TrackQuery> queries);
  std::vector<Result<void>> subscribe_many(std::span<const TrackQuery> queries);
  const Kuaidi100Settings& settings() const { return m_settings; }

 private:
  // A refusal of our credentials opens Kuaidi100's breaker with the reason.
  template <class T>
  void note_refusal(const Result<T>& r);
  outbound::HttpClient& m_http;
  Kuaidi100Settings m_settings;
};

// Our courier code (ZTO) as Kuaidi100 names the company (zhongtong); empty when unknown.
std::string kuaidi100_company(std::string_view courier_code);

// Reads a Kuaidi100 answer body in the query shape (also `lastResult` of a callback).
Result<Track> read_track(std::string_view json_text);

// Checks and reads a push callback's form body (param, sign): a wrong sign is an auth
// error naming the shipment when it can.
Result<Track> read_callback(std::string_view form_body, std::string_view salt);

// The answer Kuaidi100 expects, or it retries the push.
inline constexpr std::string_view k_callback_ok =
    R"({"result":true,"returnCode":"200","message":"成功"})";

}  // namespace fulfil::courier
