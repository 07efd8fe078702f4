#include "cli.hpp"

#include <gtest/gtest.h>

#include "scheduler.hpp"

using namespace fulfil::daemon;

namespace {
fulfil::Result<CliOptions> parse(std::vector<const char*> args) {
  args.insert(args.begin(), "fulfild");
  return parse_cli(static_cast<int>(args.size()), args.data());
}
}  // namespace

TEST(Cli, Commands) {
  auto r = parse({"--config", "a.toml", "sync", "--once", "--shop", "demo"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->command, "sync");
  EXPECT_TRUE(r->once);
  EXPECT_EQ(r->shop, "demo");
  EXPECT_EQ(r->config->string(), "a.toml");
  auto i = parse({"import-csv", "orders.csv", "--shop", "demo"});
  ASSERT_TRUE(i);
  EXPECT_EQ(i->file->string(), "orders.csv");
}

TEST(Cli, LabelPreviewAndPrinterStatus) {
  auto r = parse({"label", "preview", "3928475610293847631", "--kind", "packing_list", "--format",
                  "png", "--out", "x.png"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->command, "label");
  EXPECT_EQ(r->tid, "3928475610293847631");
  EXPECT_EQ(r->kind, "packing_list");
  EXPECT_EQ(r->format, "png");
  EXPECT_EQ(r->out->string(), "x.png");
  EXPECT_EQ(parse({"label", "preview", "1"})->format, "pdf");
  EXPECT_TRUE(parse({"printer", "status"}));
  EXPECT_NE(parse({"label", "preview"}).error().message.find("label takes preview TID"),
            std::string::npos);
  EXPECT_NE(parse({"label", "preview", "1", "--kind", "sticker"}).error().message.find("--kind"),
            std::string::npos);
  EXPECT_NE(parse({"label", "preview", "1", "--format", "gif"}).error().message.find("--format"),
            std::string::npos);
  EXPECT_FALSE(parse({"printer", "jam"}));
}

TEST(Cli, MistakesAreNamed) {
  EXPECT_NE(parse({"sync"}).error().message.find("--once"), std::string::npos);
  EXPECT_NE(parse({"frobnicate"}).error().message.find("unknown command"), std::string::npos);
  EXPECT_NE(parse({"run", "--colour"}).error().message.find("unknown option --colour"),
            std::string::npos);
  EXPECT_NE(parse({"run", "--config"}).error().message.find("--config needs a value"),
            std::string::npos);
  EXPECT_FALSE(parse({"import-csv"}));
  EXPECT_FALSE(parse({}));
}

TEST(Scheduler, NextShanghaiTime) {
  // 2026-11-11 03:00:00 Shanghai -> 03:30 is 30 minutes away; 04:00 -> tomorrow's 03:30.
  EXPECT_EQ(until_shanghai_time(1794337200, 3, 30), std::chrono::minutes(30));
  EXPECT_EQ(until_shanghai_time(1794337200 + 3600, 3, 30),
            std::chrono::hours(23) + std::chrono::minutes(30));
}

// Issue 23 (found while trying it): an unknown command suggests the closest name.
TEST(Cli, AMistypedCommandSuggestsTheClosest) {
  auto r = parse({"revew", "stats"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("unknown command revew (did you mean review?)"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(closest("chek-config", {"run", "check-config"}), "check-config");
  EXPECT_EQ(closest("wayb", {"waybill", "label"}), "waybill");
  EXPECT_EQ(closest("frobnicate", {"run", "review"}), "");
}

// Issue 23: --help and help COMMAND come from the one command table; every command the
// parser takes has its lines there, and nothing else is taken.
TEST(Cli, HelpIsMadeFromTheCommandTable) {
  const auto names = command_names();
  ASSERT_GE(names.size(), 15u);
  const std::string all = usage();
  for (const auto& name : names) {
    if (name == "help") continue;
    const std::string one = usage_of(name);
    ASSERT_FALSE(one.empty()) << name;
    EXPECT_NE(all.find("\n  " + name), std::string::npos) << name;
    // Each of the command's lines is one of --help's, and none is another command's.
    for (std::size_t at = one.find("\n  "); at != std::string::npos;
         at = one.find("\n  ", at + 1)) {
      const std::string line = one.substr(at + 1, one.find('\n', at + 1) - at - 1);
      if (line.starts_with("  --")) break;  // the options
      EXPECT_NE(all.find(line), std::string::npos) << line;
      if (!line.starts_with("    ")) {
        EXPECT_TRUE(line.starts_with("  " + name)) << line;
      }
    }
  }
  EXPECT_NE(usage_of("review").find("review shortage"), std::string::npos);
  EXPECT_NE(usage_of("review").find("计算缺货"), std::string::npos) << "its help's 2nd line";
  EXPECT_EQ(usage_of("review").find("stock load"), std::string::npos);
  EXPECT_TRUE(usage_of("frobnicate").empty());
  // A short synopsis shares its line with the help; a long one has the help under it.
  EXPECT_NE(all.find("  run                         run the daemon"), std::string::npos) << all;
  EXPECT_NE(all.find("  reconcile --day YYYY-MM-DD [--shop NAME]\n                              "
                     "re-read a past day's trades"),
            std::string::npos)
      << all;
  EXPECT_FALSE(parse({"frobnicate"}));
  EXPECT_TRUE(parse({"cluster", "status"}));
}
