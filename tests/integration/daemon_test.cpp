// The real fulfild binary: `run` with its HTTP API, signals and CSV inbox, and the one-shot
// commands, against the TOP simulator on loopback.
#include <gtest/gtest.h>
#include <iconv.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "process.hpp"
#include "store/database.hpp"
#include "test_support.hpp"
#include "top_simulator.hpp"

using namespace fulfil;
using namespace fulfil::test;
namespace json = boost::json;

namespace {

std::string config_text(const TempDir& dir, const std::string& sim_url) {
  return "[daemon]\ninstance_id = \"it\"\nshutdown_grace_seconds = 5\nworkers = 2\n"
         "[http]\nlisten = \"127.0.0.1:0\"\n"
         "[store]\nurl = \"sqlite:" +
         (dir / "store.db").string() +
         "\"\n"
         "[sync]\nsettle_seconds = 0\ninitial_lookback_hours = 8\nreconcile_at = \"\"\n"
         "[[shops]]\nname = \"demo\"\nsource = \"csv\"\ninbox = \"" +
         (dir / "inbox").string() +
         "\"\n"
         "interval_seconds = 5\n"
         "[[shops]]\nname = \"tmall\"\nsource = \"top\"\nbase_url = \"" +
         sim_url +
         "\"\n"
         "app_key = \"12345678\"\ninterval_seconds = 5\n";
}

const std::map<std::string, std::string> k_secrets = {{"FULFILD_TMALL_APP_SECRET", "sim-secret"},
                                                      {"FULFILD_TMALL_SESSION", "sim-session"}};

const char* k_csv_header =
    "tid,status,created,pay_time,buyer_nick,receiver_name,receiver_state,receiver_city,receiver_"
    "district,"
    "receiver_address,payment,oid,title,sku_properties,price,num\n";

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size(), out_left = out.size();
  char* o = out.data();
  iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

class DaemonIt : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::TopSimSettings s;
    s.trades = 600;
    sim = std::make_unique<sim::TopSimulator>(s);
    sim->start();
    cfg = dir / "fulfild.toml";
    write_file(cfg, config_text(dir, sim->base_url()));
  }
  RunResult cli(std::vector<std::string> args, std::map<std::string, std::string> env = k_secrets) {
    args.insert(args.begin(), {"--config", cfg.string()});
    return run_program(FULFILD_BINARY, args, dir.path(), env);
  }
  std::string paid_tid() {
    for (const auto& [tid, e] : sim->expected())
      if (e.status == "WAIT_SELLER_SEND_GOODS" && !e.refund) return std::to_string(tid);
    return {};
  }
  TempDir dir;
  std::unique_ptr<sim::TopSimulator> sim;
  std::filesystem::path cfg;
};

}  // namespace

TEST_F(DaemonIt, RunServesTheApiSyncsImportsReloadsAndDrains) {
  const auto staff = staff_token(cfg, "picker", dir.path());
  Process d(FULFILD_BINARY,
            {"--config", cfg.string(), "--port-file", (dir / "port").string(), "run"}, dir.path(),
            k_secrets);
  ASSERT_TRUE(eventually([&] {
    return std::filesystem::exists(dir / "port") && !read_file(dir / "port").empty();
  })) << d.stderr_text();
  const std::string base = "http://127.0.0.1:" + std::to_string(std::stoi(read_file(dir / "port")));
  ASSERT_TRUE(eventually([&] { return http_get(base + "/readyz").status == 200; }))
      << d.stderr_text();

  const std::string tid = paid_tid();
  ASSERT_TRUE(eventually([&] {
    return http_get(base + "/api/v1/orders/" + tid, staff).status == 200;
  })) << d.stderr_text();
  auto order = json::parse(http_get(base + "/api/v1/orders/" + tid, staff).body).as_object();
  EXPECT_EQ(order["tid"].as_string(), tid);
  EXPECT_EQ(order["fstate"].as_string(), "ready");
  EXPECT_TRUE(order["serial"].as_string().starts_with("D"));
  EXPECT_EQ(order["payment"].as_object()["fen"].as_int64(),
            sim->expected()[std::stoll(tid)].payment_fen);
  EXPECT_FALSE(order["lines"].as_array().empty());
  EXPECT_EQ(order["events"].as_array()[0].as_object()["kind"].as_string(), "arrived");
  EXPECT_TRUE(order["created"].as_string().ends_with("+08:00"));

  EXPECT_EQ(http_get(base + "/api/v1/orders/123", staff).status, 404);
  EXPECT_EQ(http_get(base + "/api/v1/orders/12ab", staff).status, 400);
  EXPECT_EQ(http_get(base + "/api/v1/orders/9999999999999999999", staff).status, 400);  // past 2^63
  EXPECT_EQ(http_get(base + "/api/v1/orders?limit=0", staff).status, 400);
  EXPECT_EQ(http_get(base + "/api/v1/orders?colour=red", staff).status, 400);
  EXPECT_EQ(http_get(base + "/api/v1/orders?modified_from=yesterday", staff).status, 400);
  EXPECT_EQ(http_get(base + "/nowhere").status, 404);
  auto page =
      json::parse(http_get(base + "/api/v1/orders?fstate=ready&limit=5", staff).body).as_object();
  EXPECT_EQ(page["orders"].as_array().size(), 5u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto next = http_get(base + "/api/v1/orders?fstate=ready&limit=5&cursor=" +
                           std::string(page["next_cursor"].as_string()),
                       staff);
  EXPECT_EQ(next.status, 200);
  EXPECT_NE(next.body, http_get(base + "/api/v1/orders?fstate=ready&limit=5", staff).body);
  auto health = json::parse(http_get(base + "/healthz").body).as_object();
  EXPECT_EQ(health["status"].as_string(), "ok");
  bool tmall_synced = false;
  for (const auto& s : health["shops"].as_array())
    if (s.as_object().at("shop").as_string() == "tmall")
      tmall_synced = s.as_object().at("window_end").is_string();
  EXPECT_TRUE(tmall_synced);

  // A CSV dropped into the inbox is imported and moved aside.
  write_file(dir / "inbox" / "drop.csv",
             std::string(k_csv_header) +
                 "777000111,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,小明,小明,北京,,"
                 "朝阳区,建国路 1 号,9.90,1,袜子,颜色分类:黑色,9.90,1\n");
  std::filesystem::last_write_time(
      dir / "inbox" / "drop.csv",
      std::filesystem::file_time_type::clock::now() - std::chrono::seconds(10));
  ASSERT_TRUE(
      eventually([&] { return http_get(base + "/api/v1/orders/777000111", staff).status == 200; }));
  EXPECT_TRUE(
      eventually([&] { return std::filesystem::exists(dir / "inbox" / "done" / "drop.csv"); }));

  // A broken config on reload is refused; the daemon keeps serving.
  write_file(cfg, "[daemon]\nworkers = \"many\"\n");
  d.signal(SIGHUP);
  ASSERT_TRUE(
      eventually([&] { return d.stderr_text().find("reload refused") != std::string::npos; }));
  EXPECT_EQ(http_get(base + "/readyz").status, 200);

  d.signal(SIGTERM);
  auto status = d.wait(std::chrono::seconds(15));
  ASSERT_TRUE(status) << "did not stop";
  EXPECT_EQ(*status, 0);
  EXPECT_NE(d.stderr_text().find("fulfild stopped"), std::string::npos);
}

TEST_F(DaemonIt, SyncOnceStoresEveryTradeAndFailsClearlyOnABadSession) {
  auto ok = cli({"sync", "--once", "--shop", "tmall"});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("shop tmall: inserted 600"), std::string::npos) << ok.out;
  auto again = cli({"sync", "--once", "--shop", "tmall"});
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.out.find("inserted 0"), std::string::npos) << again.out;
  auto env = k_secrets;
  env["FULFILD_TMALL_SESSION"] = "expired";
  auto bad = cli({"sync", "--once", "--shop", "tmall"}, env);
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("shop tmall: sync failed (auth)"), std::string::npos) << bad.err;
  auto nosecret = cli({"sync", "--once"}, {});
  EXPECT_EQ(nosecret.status, 2);
  EXPECT_NE(nosecret.err.find("FULFILD_TMALL_APP_SECRET"), std::string::npos) << nosecret.err;
}

TEST_F(DaemonIt, ImportCsvReportsBadRowsAndReimportChangesNothing) {
  write_file(dir / "orders.csv",
             std::string(k_csv_header) +
                 "881,WAIT_SELLER_SEND_GOODS,2026-11-11 "
                 "00:00:01,,王芳😊,王芳,上海,上海市,浦东新区,\"张江路 1 号, 2 楼\","
                 "19.90,1,毛衣,\"颜色分类:深紫色;尺码:S\",19.90,1\n"
                 "882,WAIT_SELLER_SEND_GOODS,2026-11-11 "
                 "00:00:01,,李强,李强,浙江,杭州,西湖区,文三路,1.999,2,T恤,,1.999,1\n"
                 "883,WAIT_SELLER_SEND_GOODS,not a "
                 "time,,赵敏,赵敏,北京,,朝阳区,国贸,5.00,3,围巾,,5.00,1\n");
  auto first = cli({"import-csv", (dir / "orders.csv").string(), "--shop", "demo"});
  EXPECT_EQ(first.status, 3) << first.err;
  EXPECT_NE(first.out.find("3 rows; inserted 1"), std::string::npos) << first.out;
  EXPECT_NE(first.err.find("orders.csv:3: payment: amount \"1.999\": more than two decimals"),
            std::string::npos)
      << first.err;
  EXPECT_NE(first.err.find("orders.csv:4: created"), std::string::npos) << first.err;
  auto second = cli({"import-csv", (dir / "orders.csv").string(), "--shop", "demo"});
  EXPECT_NE(second.out.find("inserted 0, updated 0, unchanged 1"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("seen before"), std::string::npos);

  auto unknown = cli({"import-csv", (dir / "orders.csv").string(), "--shop", "nope"});
  EXPECT_EQ(unknown.status, 2);
  auto missing = cli({"import-csv", (dir / "absent.csv").string(), "--shop", "demo"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("absent.csv"), std::string::npos);
}

TEST_F(DaemonIt, ImportsGb18030AsChineseExcelWritesIt) {
  write_file(
      dir / "excel.csv",
      to_gb18030(
          std::string(k_csv_header) +
          "991,WAIT_SELLER_SEND_GOODS,2026/11/11 8:05,,陈静,陈静,广东省,,东莞市,南城街道 鸿福路,"
          "269.00,1,运动鞋,,269.00,1\n"));
  auto r = cli({"import-csv", (dir / "excel.csv").string(), "--shop", "demo"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("inserted 1"), std::string::npos) << r.out;
}

TEST_F(DaemonIt, SkipBadRowsImportsWhatReadsAndQuarantinesTheUndecodableRowsByLine) {
  // Lines 3 and 5 carry bytes that are neither UTF-8 nor GB18030 (a name, and the second
  // line of a quoted address that spans two lines: its row starts on line 4).
  const std::string header = k_csv_header;
  const std::string rows =
      "901,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,王芳😊,王芳,上海,上海市,浦东新区,"
      "张江路 1 号,19.90,1,毛衣,,19.90,1\n"
      "902,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:02,,\xFF\xFE\x80,李强,浙江,杭州,西湖区,"
      "文三路,10.00,2,T恤,,10.00,1\n"
      "903,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:03,,赵敏,赵敏,北京,,朝阳区,\"国贸\n"
      "\xC0\xAF 3 座\",5.00,3,围巾,,5.00,1\n"
      "904,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:04,,陈静,陈静,广东省,东莞市,南城街道,"
      "鸿福路,269.00,4,运动鞋,,269.00,1\n";
  write_file(dir / "bytes.csv", header + rows);
  auto refused = cli({"import-csv", (dir / "bytes.csv").string(), "--shop", "demo"});
  EXPECT_EQ(refused.status, 1) << refused.out;
  EXPECT_NE(refused.err.find("byte 0xFF at line 3, field 5"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--skip-bad-rows"), std::string::npos) << refused.err;

  auto r = cli({"import-csv", (dir / "bytes.csv").string(), "--shop", "demo", "--skip-bad-rows"});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.out.find("4 rows; inserted 2, updated 0, unchanged 0, bad rows 2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("bytes.csv:3: undecodable bytes: byte 0xFF at line 3, field 5 is not "
                       "UTF-8, the encoding of the file's other lines: row skipped"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("bytes.csv:4: undecodable bytes: byte 0xC0 at line 5 (inside a quoted "
                       "field)"),
            std::string::npos)
      << r.err;
  auto conn = store::Connection::open(
      *store::StoreUrl::parse("sqlite:" + (dir / "store.db").string()), store::Durability::relaxed);
  ASSERT_TRUE(conn);
  std::vector<long long> stored(4, 0), quarantined(4, 0);
  for (int i = 0; i < 4; ++i) {
    const long long tid = 901 + i;
    (*conn)->sql() << "SELECT COUNT(*) FROM trades WHERE tid = :t", soci::use(tid),
        soci::into(stored[i]);
    (*conn)->sql() << "SELECT COUNT(*) FROM quarantine WHERE tid = :t", soci::use(tid),
        soci::into(quarantined[i]);
  }
  EXPECT_EQ(stored, (std::vector<long long>{1, 0, 0, 1}));
  EXPECT_EQ(quarantined, (std::vector<long long>{0, 1, 1, 0}));
  std::string field;
  (*conn)->sql() << "SELECT field FROM quarantine WHERE tid = 903", soci::into(field);
  EXPECT_EQ(field, "row 4");

  // A header that does not read is still the whole file's problem.
  write_file(dir / "head.csv", "tid,\xFF\n" + rows);
  auto head = cli({"import-csv", (dir / "head.csv").string(), "--shop", "demo", "--skip-bad-rows"});
  EXPECT_EQ(head.status, 1);
  EXPECT_NE(head.err.find("line 1 (the header)"), std::string::npos) << head.err;
}

TEST_F(DaemonIt, CheckConfigMasksSecretsAndRejectsMistakes) {
  auto good = cli({"check-config"});
  EXPECT_EQ(good.status, 0) << good.err;
  EXPECT_NE(good.out.find("# app_secret = \"***\""), std::string::npos) << good.out;
  EXPECT_EQ(good.out.find("sim-secret"), std::string::npos);
  write_file(cfg, "[http]\nlisten = \"127.0.0.1:0\"\nport = 8080\n");
  auto bad = cli({"check-config"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("fulfild.toml:3: http.port: unknown key"), std::string::npos) << bad.err;
}
