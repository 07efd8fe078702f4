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
