#include <gtest/gtest.h>

#include "common/digest.hpp"
#include "courier/kuaidi100_client.hpp"
#include "courier/tracking_state.hpp"
#include "outbound/form_encoding.hpp"

using namespace fulfil;
using namespace fulfil::courier;

TEST(TrackingState, Kuaidi100StatesMapAsTheSpecSays) {
  const std::pair<int, TrackState> cases[] = {{0, TrackState::in_transit},
                                              {1, TrackState::collected},
                                              {2, TrackState::problem},
                                              {3, TrackState::delivered},
                                              {4, TrackState::refused},
                                              {5, TrackState::out_for_delivery},
                                              {6, TrackState::returning},
                                              {7, TrackState::in_transit},
                                              {14, TrackState::refused},
                                              {101, TrackState::collected},
                                              {501, TrackState::out_for_delivery},
                                              {1401, TrackState::refused}};
  for (auto [code, state] : cases) EXPECT_EQ(from_kuaidi100(code), state) << code;
  EXPECT_FALSE(from_kuaidi100(9));
  EXPECT_FALSE(from_kuaidi100(-1));
  EXPECT_FALSE(from_kuaidi100(99999));
  EXPECT_TRUE(is_final(TrackState::delivered));
  EXPECT_TRUE(is_final(TrackState::refused));
  EXPECT_FALSE(is_final(TrackState::returning));
  EXPECT_TRUE(needs_attention(TrackState::problem));
  for (auto s : {TrackState::waiting, TrackState::collected, TrackState::in_transit,
                 TrackState::out_for_delivery, TrackState::delivered, TrackState::problem,
                 TrackState::returning, TrackState::refused})
    EXPECT_EQ(parse_track_state(to_string(s)), s);
}

TEST(TrackingState, AnswersAndErrorsAreRead) {
  auto t = read_track(
      R"({"message":"ok","nu":"ZT1","ischeck":"1","com":"zhongtong","status":"200","state":"3",)"
      R"("data":[{"time":"2026-11-20 10:00:00","ftime":"2026-11-20 10:00:00","context":"签收",)"
      R"("areaName":"杭州","status":"3"},{"time":"bad","context":"x"}]})");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->state, TrackState::delivered);
  EXPECT_TRUE(t->checked);
  ASSERT_EQ(t->events.size(), 1u) << "an event without a readable time is skipped";
  EXPECT_EQ(t->events[0].at, 1795140000);  // 10:00 Shanghai is 02:00 UTC
  const std::pair<const char*, ErrorKind> errors[] = {
      {"400", ErrorKind::invalid_input}, {"408", ErrorKind::invalid_input},
      {"500", ErrorKind::not_found},     {"501", ErrorKind::remote_retry},
      {"502", ErrorKind::remote_retry},  {"503", ErrorKind::auth},
      {"601", ErrorKind::auth}};
  for (auto [code, kind] : errors) {
    auto e =
        read_track(std::string(R"({"result":false,"returnCode":")") + code + R"(","message":"m"})");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind, kind) << code;
  }
  EXPECT_EQ(read_track("{\"message\":\"ok\",\"sta").error().kind, ErrorKind::network);
  EXPECT_FALSE(read_track(R"({"message":"ok","nu":"ZT1"})")) << "no state";
  EXPECT_EQ(kuaidi100_company("ZTO"), "zhongtong");
  EXPECT_EQ(kuaidi100_company("NOPE"), "");
}

TEST(TrackingState, ACallbackIsTakenOnlyWithTheRightSign) {
  const std::string param =
      R"({"status":"polling","lastResult":{"nu":"ZT9","com":"zhongtong","state":"5","data":[]}})";
  auto form = [&](const std::string& sign) {
    return outbound::encode_form({{"param", param}, {"sign", sign}});
  };
  const std::string good = hex_upper(md5_raw(param + "salt"));
  auto ok = read_callback(form(good), "salt");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->number, "ZT9");
  EXPECT_EQ(ok->state, TrackState::out_for_delivery);
  auto forged = read_callback(form(good), "other");
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().kind, ErrorKind::auth);
  EXPECT_NE(forged.error().message.find("ZT9"), std::string::npos);
  EXPECT_EQ(read_callback("sign=x", "salt").error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(read_callback(outbound::encode_form({{"param", "{oops"}, {"sign", "x"}}), "salt")
                .error()
                .kind,
            ErrorKind::invalid_input);
}
