// The platform's answers: a page of taobao.trades.sold.increment.get (or .sold.get) as the
// real TopClient reads it: JSON, the error envelope, the trades and every field of each.
#include "common/clock.hpp"
#include "fuzz_support.hpp"
#include "platform/top_client.hpp"

using namespace fulfil;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const bool increment = in.byte() % 2 == 0;
  fuzz::CannedHttp http{std::string(in.rest())};
  ManualClock clock(1'762'790'400);
  platform::TopClient top(http, clock, {.app_key = "12345678", .app_secret = "s", .session = "x"},
                          "fuzz-shop");
  const UnixSeconds start = 1'762'786'800, end = start + 3600;
  auto page = increment ? top.trades_sold_increment_get(start, end, 1, 100, true)
                        : top.trades_sold_get(start, end, 1, 100, false);
  if (page)
    for (const auto& t : page->parsed.trades)
      if (t.tid <= 0) __builtin_trap();  // a parsed trade always has its number
  return 0;
}
