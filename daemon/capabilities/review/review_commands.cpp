#include "capabilities/review/review_commands.hpp"

#include <cstdio>
#include <iostream>

#include "command_support.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"

namespace fulfil::daemon {

namespace {

int review_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  review::ReviewService review(*conn, clock, config.review);
  if (o.subcommand == "shortage") {
    auto r = review.shortage();
    if (!r) {
      std::cerr << "fulfild: " << r.error().message << "\n";
      return k_exit_failed;
    }
    if (r->empty()) std::cout << "no SKU is oversold\n";
    for (const auto& sku : *r)
      std::cout << "SKU " << sku.sku << ": on hand " << sku.on_hand << ", reserved " << sku.reserved
                << "; parked " << sku.parked.size() << " parcels\n";
    return k_exit_ok;
  }
  auto stats = review.stats();
  if (!stats) {
    std::cerr << "fulfild: " << stats.error().message << "\n";
    return k_exit_failed;
  }
  std::printf("%-16s %10s %10s %10s  %s\n", "slice", "ready", "key city", "in review", "range");
  for (const auto& s : stats->slices)
    std::printf("%-16s %10lld %10lld %10lld  %s\n", s.slice.c_str(),
                static_cast<long long>(s.ready), static_cast<long long>(s.key_city_ready),
                static_cast<long long>(s.in_review), s.range.c_str());
  std::printf("\n");
  for (const auto& [state, n] : stats->by_state)
    std::printf("%-16s %10lld\n", state.c_str(), static_cast<long long>(n));
  std::printf("%-16s %10lld\n", "not yet taken in", static_cast<long long>(stats->signals_waiting));
  return k_exit_ok;
}

int stock_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  auto bytes = read_for_command(*o.file);
  if (!bytes) return k_exit_failed;
  SystemClock clock;
  auto r = review::StockRepository(*conn).load_csv(*bytes, o.file->filename(), "cli", clock.now());
  if (!r) {
    std::cerr << "fulfild: " << r.error().message << "\n";
    return k_exit_bad_rows;
  }
  std::cout << o.file->string() << ": " << r->rows << " SKUs; created " << r->created
            << ", changed " << r->changed << "\n";
  return k_exit_ok;
}

}  // namespace

std::vector<Command> review_commands() {
  return {
      {"review",
       {{{"review stats"}, {"queue sizes per slice and state"}},
        {{"review shortage"},
         {"park approved parcels that oversold stock cannot cover",
          "(计算缺货 as a batch) and list the oversold SKUs"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 1 || (words[0] != "stats" && words[0] != "shortage"))
           return fail(ErrorKind::config, "review takes stats or shortage");
         o.subcommand = words.front();
         return {};
       },
       [](const CliOptions& o, const Config* c) { return review_command(o, *c); }},
      {"stock",
       {{{"stock load FILE"}, {"set stock from a CSV (sku,on_hand[,location][,barcode])"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 2 || words[0] != "load")
           return fail(ErrorKind::config, "stock takes load FILE");
         o.subcommand = words[0];
         o.file = words[1];
         return {};
       },
       [](const CliOptions& o, const Config* c) { return stock_command(o, *c); }},
  };
}

}  // namespace fulfil::daemon
