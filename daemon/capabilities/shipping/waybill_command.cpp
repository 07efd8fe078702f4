#include "capabilities/shipping/waybill_command.hpp"

#include <cstdio>
#include <iostream>

#include "command_support.hpp"
#include "courier/number_pool.hpp"

namespace fulfil::daemon {

namespace {

int waybill_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  courier::NumberPool pool(*conn);
  if (o.subcommand == "status") {
    auto levels = pool.levels();
    if (!levels) {
      std::cerr << "fulfild: " << levels.error().message << "\n";
      return k_exit_failed;
    }
    std::printf("%-8s %12s %12s %8s\n", "courier", "left", "used", "void");
    for (const auto& l : *levels)
      std::printf(
          "%-8s %12lld %12lld %8lld%s\n", l.courier.c_str(), static_cast<long long>(l.free),
          static_cast<long long>(l.used), static_cast<long long>(l.void_),
          config.shipping.find(l.courier) && l.free < config.shipping.find(l.courier)->low_pool
              ? "  (low)"
              : "");
    return k_exit_ok;
  }
  if (!config.shipping.find(o.courier)) {
    std::cerr << "fulfild: no courier " << o.courier << " in [shipping]\n";
    return k_exit_usage;
  }
  SystemClock clock;
  Result<courier::PoolImport> r = fail(ErrorKind::invalid_input, "");
  if (!o.range.empty()) {
    r = pool.import_range(o.courier, o.range, clock.now());
  } else {
    auto text = read_for_command(*o.file);
    if (!text) return k_exit_failed;
    r = pool.import_list(o.courier, *text, clock.now());
  }
  if (!r) {
    std::cerr << "fulfild: " << r.error().message << "\n";
    return k_exit_bad_rows;
  }
  std::cout << o.courier << ": added " << r->added << " numbers, " << r->duplicates
            << " already in the pool\n";
  return k_exit_ok;
}

}  // namespace

std::vector<Command> shipping_commands() {
  return {
      {"waybill",
       {{{"waybill pool import CODE (--range FIRST-LAST | FILE)"},
         {"add pre-printed waybill numbers for a courier"}},
        {{"waybill pool status"}, {"numbers left per courier"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         const bool import =
             words.size() >= 3 && words[0] == "pool" && words[1] == "import" && words.size() <= 4;
         const bool status = words.size() == 2 && words[0] == "pool" && words[1] == "status";
         if (!import && !status)
           return fail(ErrorKind::config,
                       "waybill takes pool import CODE (--range FIRST-LAST | FILE) or pool status");
         o.subcommand = words[1];
         if (import) {
           o.courier = words[2];
           if (words.size() == 4) o.file = words[3];
           if (o.file.has_value() == !o.range.empty())
             return fail(ErrorKind::config,
                         "waybill pool import needs --range FIRST-LAST or a FILE");
         }
         return {};
       },
       [](const CliOptions& o, const Config* c) { return waybill_command(o, *c); }},
  };
}

}  // namespace fulfil::daemon
