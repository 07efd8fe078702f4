// The couriers' answers, as the real clients read them: SF's envelope and msgData (create,
// a duplicate's query), Cainiao's waybill list through TOP, and Kuaidi100's tracking
// answer and signed push callback.
#include "common/clock.hpp"
#include "courier/cainiao_client.hpp"
#include "courier/kuaidi100_client.hpp"
#include "courier/sf_client.hpp"
#include "fuzz_support.hpp"

using namespace fulfil;
using namespace fulfil::courier;

namespace {

WaybillRequest parcel(std::string id) {
  WaybillRequest r;
  r.order_id = std::move(id);
  r.tids = {"3021000000000001"};
  r.sender = {"仓库", "13800000000", "浙江省", "杭州市", "余杭区", "仓前街道 1 号"};
  r.receiver = {"张三😀", "13900000000", "北京", "北京市", "朝阳区", "建国路 88 号"};
  r.items = {{"羊毛衫", 1}};
  r.weight_g = 500;
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const auto which = in.byte() % 5;
  ManualClock clock(1'762'790'400);
  fuzz::CannedHttp http{std::string(in.rest())};
  switch (which) {
    case 0: {
      SfClient sf(http, clock, {.partner_id = "P", .check_word = "c", .monthly_card = "1"});
      (void)sf.create(parcel("F1"));
      break;
    }
    case 1: {
      SfClient sf(http, clock, {.partner_id = "P", .check_word = "c", .monthly_card = "1"});
      (void)sf.find("F1");
      break;
    }
    case 2: {
      CainiaoClient cainiao(http, clock, {.app_key = "1", .app_secret = "s", .session = "x"},
                            "fuzz-shop", "ZTO", {.shop = "fuzz-shop"});
      const WaybillRequest batch[] = {parcel("C1"), parcel("C2")};
      (void)cainiao.get_many(batch);
      break;
    }
    case 3:
      (void)read_track(in.rest());
      break;
    default: {
      const auto salt = in.part('\n');
      (void)read_callback(in.rest(), salt);
      break;
    }
  }
  return 0;
}
