#include "config.hpp"
#include "platform/rds_reader.hpp"
#include "stock/push_mode.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>

#include "test_support.hpp"

using namespace fulfil;
using namespace fulfil::daemon;

namespace {
const char* no_env(const char*) {
  return nullptr;
}
}  // namespace

TEST(Config, EmbeddedDefaultIsValid) {
  auto c = parse_config(embedded_config(), "<embedded>");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->store_url, "sqlite:var/fulfild.db");
  ASSERT_EQ(c->shops.size(), 1u);
  EXPECT_EQ(c->shops[0].source, ShopConfig::Source::csv);
  EXPECT_EQ(c->sync.window_seconds, 1800);
  EXPECT_EQ(c->reconcile_at, (std::pair{3, 30}));
}

TEST(Config, ErrorsNameFileLineAndKey) {
  auto c = parse_config("[daemon]\nworkers = 0\nlog_levl = \"info\"\n[sync]\npage_size = \"x\"\n",
                        "f.toml");
  ASSERT_FALSE(c);
  const auto& m = c.error().message;
  EXPECT_NE(m.find("f.toml:2: daemon.workers: 0 is outside 1..64"), std::string::npos) << m;
  EXPECT_NE(m.find("f.toml:3: daemon.log_levl: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("f.toml:5: sync.page_size: expected a whole number"), std::string::npos) << m;
}

TEST(Config, SyntaxErrorsHaveALine) {
  auto c = parse_config("[daemon]\nworkers = \n", "f.toml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.rfind("f.toml:2:", 0), 0u) << c.error().message;
}

TEST(Config, RejectsSecretsInTheConfigAndDuplicateShops) {
  auto c = parse_config(
      "[[shops]]\nname = \"a\"\nsource = \"top\"\napp_key = \"k\"\napp_secret = \"s\"\n"
      "[[shops]]\nname = \"a\"\nsource = \"csv\"\n",
      "f.toml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("f.toml:5: shops[0].app_secret: secrets do not belong"),
            std::string::npos);
  EXPECT_NE(c.error().message.find("configured twice"), std::string::npos);
}

TEST(Config, SecretsFromFileAndEnvironment) {
  auto c = parse_config("[[shops]]\nname = \"flag-ship\"\nsource = \"top\"\napp_key = \"k\"\n",
                        "f.toml");
  ASSERT_TRUE(c);
  test::TempDir dir;
  auto secrets = dir / "secrets.toml";
  test::write_file(secrets,
                   "[shops.flag-ship]\napp_secret = \"from-file\"\nsession = \"sess-file\"\n");
  ::chmod(secrets.c_str(), 0644);
  auto loose = apply_secrets(*c, secrets, no_env);
  ASSERT_FALSE(loose);
  EXPECT_NE(loose.error().message.find("chmod 600"), std::string::npos);
  ::chmod(secrets.c_str(), 0600);
  auto env = [](const char* k) -> const char* {
    return std::string(k) == "FULFILD_FLAG_SHIP_SESSION" ? "sess-env" : nullptr;
  };
  ASSERT_TRUE(apply_secrets(*c, secrets, env));
  EXPECT_EQ(c->shops[0].top.app_secret, "from-file");
  EXPECT_EQ(c->shops[0].top.session, "sess-env");
  auto text = describe(*c);
  EXPECT_EQ(text.find("from-file"), std::string::npos);  // masked
  EXPECT_EQ(text.find("sess-env"), std::string::npos);
}

TEST(Config, PlatformShopWithoutSecretsIsAnError) {
  auto c = parse_config("[[shops]]\nname = \"s1\"\nsource = \"top\"\napp_key = \"k\"\n", "f.toml");
  ASSERT_TRUE(c);
  auto r = apply_secrets(*c, std::nullopt, no_env);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("FULFILD_S1_APP_SECRET"), std::string::npos);
}

TEST(Config, DescribeParsesBack) {
  auto c = parse_config(embedded_config(), "<embedded>");
  ASSERT_TRUE(c);
  auto again = parse_config(describe(*c), "described");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->http_listen, c->http_listen);
}

TEST(Config, ReviewSlicesAreReadAndCheckedForGapsAndOverlaps) {
  const std::string base =
      "[[shops]]\nname = \"demo\"\nsource = \"csv\"\n[review]\nsplit_by = \"serial\"\n"
      "supervisors = [\"boss\"]\n";
  auto ok = parse_config(base +
                             "[[review.slices]]\nname = \"A\"\nreviewers = [\"a\"]\n"
                             "serial_through = \"D11072800007\"\n"
                             "[[review.slices]]\nname = \"B\"\nreviewers = [\"b\"]\n"
                             "serial_after = \"D11072800007\"\n",
                         "r.toml");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->review.slicing.slices.size(), 2u);
  EXPECT_EQ(ok->review.slice_of_reviewer("b")->name, "B");
  EXPECT_NE(ok->review.roles_of("boss"), 0u);

  auto gap = parse_config(base +
                              "[[review.slices]]\nname = \"A\"\nreviewers = [\"a\"]\n"
                              "serial_through = \"D11072800007\"\n"
                              "[[review.slices]]\nname = \"B\"\nreviewers = [\"a\"]\n"
                              "serial_after = \"D11072800009\"\n"
                              "[review.checks]\npark_flags = [\"pink\"]\n",
                          "r.toml");
  ASSERT_FALSE(gap);
  const auto& m = gap.error().message;
  EXPECT_NE(m.find("r.toml:4: review.slices: gap: between slice A (- .. D11072800007) and "
                   "slice B (D11072800009 .. -)"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("reviewer a is in slices A and B"), std::string::npos) << m;
  EXPECT_NE(m.find("review.checks.park_flags: \"pink\""), std::string::npos) << m;

  auto bad_serial = parse_config(base +
                                     "[[review.slices]]\nname = \"A\"\nreviewers = [\"a\"]\n"
                                     "serial_through = \"X12\"\n",
                                 "r.toml");
  ASSERT_FALSE(bad_serial);
  EXPECT_NE(bad_serial.error().message.find(
                "r.toml:10: review.slices[0].serial_through: \"X12\" is not a serial"),
            std::string::npos)
      << bad_serial.error().message;
}

TEST(Config, AnSfCourierNeedsItsAccountAndItsSecretFromTheEnvironment) {
  const std::string base =
      "[shipping]\n[[shipping.couriers]]\ncode = \"SF\"\nsource = \"sf\"\nshare = 100\n";
  auto missing = parse_config(base + "check_word = \"x\"\n", "s.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("s.toml:2: shipping.couriers[0].partner_id: required"),
            std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("check_word: secrets do not belong in the config: set "
                                         "FULFILD_COURIER_SF_CHECK_WORD"),
            std::string::npos)
      << missing.error().message;
  auto c = parse_config(base + "partner_id = \"FULFIL\"\n", "s.toml");
  ASSERT_TRUE(c) << c.error().message;
  auto no_secret = apply_secrets(*c, std::nullopt, no_env);
  ASSERT_FALSE(no_secret);
  EXPECT_NE(no_secret.error().message.find("courier SF: check_word missing "
                                           "(FULFILD_COURIER_SF_CHECK_WORD)"),
            std::string::npos);
  auto with = apply_secrets(*c, std::nullopt, [](const char* k) -> const char* {
    return std::string(k) == "FULFILD_COURIER_SF_CHECK_WORD" ? "cw" : nullptr;
  });
  ASSERT_TRUE(with) << with.error().message;
  EXPECT_EQ(c->shipping.couriers[0].sf.check_word, "cw");
  EXPECT_EQ(describe(*c).find("cw"), std::string::npos) << "secrets are masked";
}

TEST(Config, ACainiaoCourierIssuesUnderAPlatformShopOfTheConfig) {
  const std::string courier =
      "[shipping]\n[[shipping.couriers]]\ncode = \"ZTO\"\nsource = \"cainiao\"\nshare = 100\n";
  auto no_shop = parse_config(courier, "c.toml");
  ASSERT_FALSE(no_shop);
  EXPECT_NE(no_shop.error().message.find("c.toml:2: shipping.couriers[0].shop: required"),
            std::string::npos)
      << no_shop.error().message;
  auto csv_shop =
      parse_config("[[shops]]\nname = \"local\"\nsource = \"csv\"\ninbox = \"/tmp/in\"\n" +
                       courier + "shop = \"local\"\n",
                   "c.toml");
  ASSERT_FALSE(csv_shop);
  EXPECT_NE(csv_shop.error().message.find("courier ZTO: shop \"local\" is not a platform shop"),
            std::string::npos)
      << csv_shop.error().message;
  auto good = parse_config("[[shops]]\nname = \"tmall\"\nsource = \"top\"\napp_key = \"1\"\n" +
                               courier + "shop = \"tmall\"\nin_flight = 4\n",
                           "c.toml");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->shipping.couriers[0].source, courier::Source::cainiao);
  EXPECT_EQ(good->shipping.couriers[0].cainiao.in_flight, 4);
  EXPECT_NE(describe(*good).find("source = \"cainiao\"\nshop = \"tmall\""), std::string::npos);
  ASSERT_TRUE(parse_config(describe(*good), "described")) << "the description reads back";
}

TEST(Config, PrintersAreReadAndTheirMistakesNamed) {
  auto c = parse_config(R"([printing]
fault_retry_seconds = 10
[[printing.printers]]
name = "zebra-1"
language = "zpl"
transport = "tcp"
address = "10.0.0.5:9100"
kinds = ["waybill"]
text = "resident"
print_minutes = 50
rest_minutes = 10
[[printing.printers]]
name = "office"
language = "pdf"
folder = "/var/spool/fulfild"
kinds = ["packing_list"]
)",
                        "p.toml");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->printing.printers.size(), 2u);
  const auto& z = c->printing.printers[0];
  EXPECT_EQ(z.transport, fulfil::printing::TransportKind::tcp);
  EXPECT_EQ(z.target, "10.0.0.5:9100");
  EXPECT_EQ(z.render.text_mode, fulfil::printers::TextMode::resident);
  EXPECT_EQ(z.render.resident_font, "E:SIMSUN.TTF");
  EXPECT_EQ(z.print_minutes, 50);
  EXPECT_EQ(c->printing.fault_retry_seconds, 10);
  EXPECT_NE(describe(*c).find("address = \"10.0.0.5:9100\""), std::string::npos);

  auto bad = parse_config(R"([[printing.printers]]
name = "a"
language = "postscript"
folder = "/tmp/a"
[[printing.printers]]
name = "a"
language = "pdf"
transport = "tcp"
address = "printer:ninety"
[[printing.printers]]
name = "b"
language = "escpos"
text = "resident"
transport = "usb"
kinds = ["sticker"]
)",
                          "p.toml");
  ASSERT_FALSE(bad);
  const auto& m = bad.error().message;
  EXPECT_NE(m.find("p.toml:3: printing.printers[0].language: expected zpl, tspl, escpos or pdf"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("printing.printers[1].address: expected host:port"), std::string::npos) << m;
  EXPECT_NE(m.find("PDF goes to a spool or CUPS"), std::string::npos) << m;
  EXPECT_NE(m.find("printing: two printers are named a"), std::string::npos) << m;
  EXPECT_NE(m.find("printing.printers[2].text: printer-resident fonts exist for zpl and tspl"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("printing.printers[2].transport: expected \"spool\", \"tcp\" or \"cups\""),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("unknown label kind \"sticker\""), std::string::npos) << m;
}

// Issue 22, item 7: the check word's variable is named as the daemon reads it, check-config
// shows express_type, and a [review] that names no supervisors or problem handlers gets the
// defaults fulfild.toml shows (else nobody could release a parked parcel).
TEST(Config, Defect22_7_NamesAndDefaultsAreTheOnesInForce) {
  auto c = parse_config(
      "[shipping]\n[[shipping.couriers]]\ncode = \"sf-hk\"\nsource = \"sf\"\nshare = 100\n"
      "partner_id = \"FULFIL\"\nexpress_type = 1\n[review]\nauto_approve = true\n",
      "s.toml");
  ASSERT_TRUE(c) << c.error().message;
  const auto text = describe(*c);
  EXPECT_NE(text.find("check_word from FULFILD_COURIER_SF_HK_CHECK_WORD"), std::string::npos)
      << text;
  EXPECT_NE(text.find("express_type = 1"), std::string::npos) << text;
  EXPECT_EQ(check_word_variable("sf-hk"), "FULFILD_COURIER_SF_HK_CHECK_WORD");
  EXPECT_EQ(c->review.supervisors, std::vector<std::string>{"admin"});
  EXPECT_EQ(c->review.problem_handlers, std::vector<std::string>{"handler"});
}

namespace {
// The effective config as its lines, without what only a site can say (shops, couriers,
// printers, the sender, the warehouse's name and return address: config/fulfild.toml shows
// the demo's, marked
// "site:") and without the header naming the file.
std::vector<std::string> effective_defaults(const Config& c) {
  std::vector<std::string> lines;
  std::istringstream in(describe(c));
  bool site_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("[")) {
      site_block = line == "[[shops]]" || line == "[[shipping.couriers]]" ||
                   line == "[[printing.printers]]" || line == "[shipping.sender]" ||
                   line == "[printing.returns]";
    }
    if (site_block || line.starts_with("# effective") || line.starts_with("warehouse = ") ||
        line.empty())
      continue;
    lines.push_back(line);
  }
  return lines;
}
}  // namespace

TEST(Config, AConfigThatLeavesEverythingOutGetsTheDefaultsFulfildTomlShows) {
  auto embedded = parse_config(embedded_config(), "<embedded>");
  auto empty = parse_config("", "empty.toml");
  auto sections = parse_config(
      "[review]\n[review.checks]\n[review.stock]\n[shipping]\n[printing]\n", "sections.toml");
  ASSERT_TRUE(embedded && empty && sections);
  const auto expected = effective_defaults(*embedded);
  ASSERT_GT(expected.size(), 60u);
  EXPECT_EQ(effective_defaults(*empty), expected);
  EXPECT_EQ(effective_defaults(*sections), expected) << "an empty section is no section";
  // The values the issue found different, by name.
  EXPECT_TRUE(empty->review.auto_approve);
  ASSERT_EQ(empty->review.slicing.slices.size(), 1u);
  EXPECT_EQ(empty->review.slicing.slices[0].reviewers,
            (std::vector<std::string>{"reviewer", "admin"}));
  EXPECT_EQ(empty->review.checks.park_flags, std::vector<int>{1});
  EXPECT_TRUE(config_warnings(*empty).empty());
  EXPECT_TRUE(config_warnings(*embedded).empty());
}

TEST(Config, CheckConfigWarnsOfWorkNobodyCanDo) {
  auto c = parse_config(
      "[review]\nauto_approve = false\nsupervisors = []\nproblem_handlers = []\n"
      "[shipping]\n[[shipping.couriers]]\ncode = \"SF\"\nsource = \"sf\"\nshare = 100\n"
      "partner_id = \"P\"\n",
      "w.toml");
  ASSERT_TRUE(c) << c.error().message;
  const auto w = config_warnings(*c);
  ASSERT_EQ(w.size(), 2u) << ::testing::PrintToString(w);
  EXPECT_EQ(w[0],
            "w.toml: review: no supervisors and no problem_handlers: nobody may release a parked "
            "(problem) parcel");
  EXPECT_EQ(w[1],
            "w.toml: shipping.sender: name, mobile and address are needed for SF's waybills (its "
            "API refuses them without a sender)");
  c->review.problem_handlers = {"han"};
  c->shipping.sender = {"仓", "13800000000", "浙江省", "杭州市", "余杭区", "1 号"};
  EXPECT_TRUE(config_warnings(*c).empty());
  // The pool slice may have no reviewers: then auto-approval or a supervisor must approve.
  auto pool = parse_config(
      "[review]\nauto_approve = false\n[[review.slices]]\nname = \"all\"\nreviewers = []\n",
      "p.toml");
  ASSERT_TRUE(pool) << pool.error().message;
  ASSERT_EQ(config_warnings(*pool).size(), 1u);
  EXPECT_EQ(config_warnings(*pool)[0],
            "p.toml: review.slices \"all\": no reviewers and auto_approve = false: only a "
            "supervisor approves its parcels");
  pool->review.supervisors.clear();
  EXPECT_NE(config_warnings(*pool)[0].find("its parcels are never approved"), std::string::npos);
}

// [[shops]] source = "rds": the push database's URL and seller are required, its password is
// a secret; [stock_push] names only platform shops and known modes.
TEST(Config, PushDatabaseShopsAndStockPushAreReadWithTheirMistakesNamed) {
  auto bad = parse_config(
      "[[shops]]\nname = \"big\"\nsource = \"rds\"\napp_key = \"1\"\nrds_url = "
      "\"postgres://x/y\"\nrds_password = \"p\"\n[[shops]]\nname = \"files\"\nsource = "
      "\"csv\"\n[stock_push]\nmode = \"sometimes\"\n[stock_push.shops]\nfiles = \"off\"\n"
      "[stock_push.safety_by_sku]\n\"MY-1\" = -2\n",
      "f.toml");
  ASSERT_FALSE(bad);
  const auto& m = bad.error().message;
  EXPECT_NE(m.find("shops[0].rds_url: rds_url \"postgres://x/y\": expected mysql://"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("shops[0].seller_nick: required for source = \"rds\""), std::string::npos) << m;
  EXPECT_NE(m.find("shops[0].rds_password: secrets do not belong"), std::string::npos) << m;
  EXPECT_NE(m.find("stock_push.mode: expected \"push\", \"lower_only\" or \"off\""),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("stock_push.shops.files: not a platform shop"), std::string::npos) << m;
  EXPECT_NE(m.find("stock_push.safety_by_sku.MY-1: -2 is outside"), std::string::npos) << m;

  auto ok = parse_config(
      "[[shops]]\nname = \"big\"\nsource = \"rds\"\napp_key = \"1\"\nrds_url = "
      "\"mysql://erp@10.0.0.5:3306/jdp\"\nseller_nick = \"韩都衣舍旗舰店\"\n[stock_push]\nmode = "
      "\"lower_only\"\nsafety = 2\n[stock_push.shops]\nbig = \"off\"\n",
      "f.toml");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->shops[0].on_platform());
  EXPECT_EQ(ok->shops[0].rds.seller_nick, "韩都衣舍旗舰店");
  EXPECT_EQ(ok->stock_push.mode, stock::PushMode::lower_only);
  EXPECT_EQ(ok->stock_push.shop_modes.at("big"), stock::PushMode::off);
  EXPECT_EQ(ok->stock_push.safety_for("ANY"), 2);
  auto conn = platform::rds_connection_string(ok->shops[0].rds);
  ASSERT_TRUE(conn);
  EXPECT_EQ(*conn,
            "db='jdp' host='10.0.0.5' port=3306 charset=utf8mb4 connect_timeout=5 read_timeout=60 "
            "user='erp'");
}

// The peak switch: off holds everything, lower only never raises (nor pushes a number it
// cannot compare), and the stricter of the shop's and everyone's switch applies.
TEST(StockPush, TheSwitchDecidesWhatGoesToThePlatform) {
  using stock::decide_push;
  using stock::PushMode;
  EXPECT_TRUE(decide_push(PushMode::push, 5, 8).push);
  EXPECT_FALSE(decide_push(PushMode::push, 8, 8).push) << "unchanged: nothing to push";
  EXPECT_TRUE(decide_push(PushMode::push, std::nullopt, 0).push);
  EXPECT_TRUE(decide_push(PushMode::lower_only, 8, 5).push);
  EXPECT_EQ(decide_push(PushMode::lower_only, 5, 8).held, "lower only: would raise 5 -> 8");
  EXPECT_FALSE(decide_push(PushMode::lower_only, std::nullopt, 3).push);
  EXPECT_EQ(decide_push(PushMode::off, 8, 5).held, "switched off: would push 5");
  EXPECT_EQ(stock::stricter(PushMode::push, PushMode::off), PushMode::off);
  EXPECT_EQ(stock::stricter(PushMode::lower_only, PushMode::push), PushMode::lower_only);
  EXPECT_EQ(stock::parse_push_mode("lower_only"), PushMode::lower_only);
  EXPECT_FALSE(stock::parse_push_mode("Off"));
}

TEST(Config, RemindersAreReadWithTheirMistakesNamed) {
  auto c = parse_config(
      "[reminders]\nphone_quiet = [\"11:30-14:00\", \"22:00-7:00\"]\nsilent_table = "
      "[\"06:00-12:00 09:00-12:00\"]\nbig_order_fen = -1\ncolour = 3\n"
      "[[reminders.shops]]\nclose_after_hours = 24\n"
      "[reminders.sms]\nenabled = true\naccess_key_secret = \"s\"\n",
      "f.toml");
  ASSERT_FALSE(c);
  const auto& m = c.error().message;
  EXPECT_NE(m.find("f.toml:2: reminders.phone_quiet: \"22:00-7:00\" is not a time range"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("reminders.silent_table: \"06:00-12:00 09:00-12:00\" is not a row like"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("reminders.big_order_fen: -1 is outside"), std::string::npos) << m;
  EXPECT_NE(m.find("reminders.colour: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("reminders.shops[0].name"), std::string::npos) << m;
  EXPECT_NE(m.find("reminders.sms.access_key_secret: secrets do not belong"), std::string::npos)
      << m;
  EXPECT_NE(m.find("reminders.sms.access_key_id: required when enabled"), std::string::npos) << m;

  auto ok = parse_config(
      "[reminders]\nsms_quiet = []\nclose_after_hours = 48\n[[reminders.shops]]\nname = "
      "\"promo\"\nclose_after_hours = 24\ncross_border = true\n[reminders.sms]\nenabled = "
      "true\naccess_key_id = \"k\"\nsign_name = \"某某旗舰店\"\ntemplate_code = \"SMS_1\"\n",
      "f.toml");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->reminders.timing.sms_quiet.empty());
  EXPECT_EQ(reminders::timing_for(ok->reminders, "promo").close_after_hours, 24);
  EXPECT_EQ(reminders::timing_for(ok->reminders, "other").close_after_hours, 48);
  EXPECT_TRUE(ok->reminders.cross_border.contains("promo"));
  // The secret comes from the secrets file or the environment, else the start is refused.
  auto missing = *ok;
  EXPECT_FALSE(apply_secrets(missing, std::nullopt, no_env));
  auto from_env = *ok;
  ASSERT_TRUE(apply_secrets(from_env, std::nullopt, [](const char* k) -> const char* {
    return std::string_view(k) == "FULFILD_SMS_ACCESS_KEY_SECRET" ? "sek" : nullptr;
  }));
  EXPECT_EQ(from_env.reminders.sms.access_key_secret, "sek");
}
