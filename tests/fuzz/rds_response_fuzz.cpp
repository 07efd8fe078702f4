// The push database's rows (聚石塔 RDS): jdp_response as the RDS source reads it, with the
// row's tid, status and times also taken from the input (a row whose trade is not its tid
// is quarantined, never stored under the wrong number).
#include "fuzz_support.hpp"
#include "platform/rds_sync.hpp"

using namespace fulfil;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  platform::RdsRow row;
  std::int64_t tid = 0;
  for (int i = 0; i < 6; ++i) tid = tid * 256 + in.byte();
  row.tid = tid;
  row.status = std::string(in.part('\n'));
  row.modified = std::string(in.part('\n'));
  row.jdp_modified = std::string(in.part('\n'));
  row.response = std::string(in.rest());
  platform::ParsedTrades out;
  platform::parse_rds_row(row, "fuzz-shop", out);
  for (const auto& t : out.trades)
    if (t.tid != row.tid) __builtin_trap();  // stored only under its row's number
  return 0;
}
