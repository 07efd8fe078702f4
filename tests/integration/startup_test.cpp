// The real binary's start: every way a start can fail ends the process at once with the
// reason and no port file (it used to hang in the HTTP client's destructor with the port
// bound and silent), check-config refuses what run refuses, a reload that cannot apply
// keeps the running config whole, and help is there for every command (issue 21, items 2,
// 3, 7, 8, 13).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "process.hpp"
#include "test_support.hpp"

using namespace fulfil::test;

namespace {

class Startup : public ::testing::Test {
 protected:
  // A config of one CSV shop, with `extra` TOML appended.
  std::filesystem::path config(const std::string& extra) {
    const auto file = dir / ("fulfild-" + std::to_string(++m_configs) + ".toml");
    write_file(file,
               "[daemon]\ninstance_id = \"st\"\nshutdown_grace_seconds = 2\n"
               "[http]\nlisten = \"127.0.0.1:0\"\n[store]\nurl = \"sqlite:" +
                   (dir / "store.db").string() +
                   "\"\n[sync]\nreconcile_at = \"\"\n"
                   "[[shops]]\nname = \"demo\"\nsource = \"csv\"\ninbox = \"" +
                   (dir / "inbox").string() + "\"\n" + extra);
    return file;
  }
  std::string spool_printer(const std::string& printing_keys) {
    return "[printing]\n" + printing_keys +
           "\n[[printing.printers]]\nname = \"zpl\"\nlanguage = \"zpl\"\ntransport = "
           "\"spool\"\nfolder = \"" +
           (dir / "spool").string() + "\"\n";
  }
  RunResult run(const std::filesystem::path& cfg, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--config", cfg.string(), "--port-file", (dir / "port").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("run");
    return run_program(FULFILD_BINARY, args, dir.path(), {}, std::chrono::seconds(15));
  }
  RunResult check(const std::filesystem::path& cfg, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--config", cfg.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("check-config");
    return run_program(FULFILD_BINARY, args, dir.path(), {}, std::chrono::seconds(15));
  }
  TempDir dir;

 private:
  int m_configs = 0;
};

struct Refused {
  std::string name;
  std::string toml;                 // appended to the config
  std::vector<std::string> listen;  // --listen override, if any
  std::string says;                 // in stderr of run and check-config
};

TEST_F(Startup, Defect2_3_8_AStartThatFailsExitsAtOnceWithTheReasonAndCheckConfigSaysSoFirst) {
  write_file(dir / "templates" / "broken.toml",
             "name = \"broken\"\n[[elements]]\nkind = \"nope\"\n");
  const std::vector<Refused> cases = {
      {"listen port not a number", "", {"--listen", "127.0.0.1:abc"}, "bad port"},
      {"listen without a port", "", {"--listen", "127.0.0.1"}, "expected host:port"},
      {"listen on a name", "", {"--listen", "warehouse-pc:8080"}, "must be an IP address"},
      {"missing font", spool_printer("font = \"No Such Font Family 4711\""), {}, "font"},
      {"unknown template",
       spool_printer("waybill_template = \"nope\""),
       {},
       "no label template named nope"},
      {"missing templates_dir",
       spool_printer("templates_dir = \"" + (dir / "none").string() + "\""),
       {},
       "is not a folder"},
      {"broken template",
       spool_printer("templates_dir = \"" + (dir / "templates").string() + "\""),
       {},
       "broken.toml"},
      {"printer address without a port",
       "[[printing.printers]]\nname = \"z\"\ntransport = \"tcp\"\naddress = \"127.0.0.1:\"\n",
       {},
       "expected host:port"},
      {"printer port out of range",
       "[[printing.printers]]\nname = \"z\"\ntransport = \"tcp\"\naddress = "
       "\"host:99999999999\"\n",
       {},
       "a port from 1 to 65535"},
      {"after-sale key file missing",
       "[aftersale]\nservice_endpoint = \"tcp://127.0.0.1:5571\"\nsecret_key_file = \"" +
           (dir / "none.key").string() + "\"\nservice_public_key_file = \"" +
           (dir / "none.pub").string() + "\"\n",
       {},
       "none.key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto cfg = config(c.toml);
    const auto started = std::chrono::steady_clock::now();
    auto r = run(cfg, c.listen);
    ASSERT_NE(r.status, -1) << "still running after 15 s: " << r.err;
    EXPECT_NE(r.status, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "port")) << "no port file for a failed start";
    auto checked = check(cfg, c.listen);
    EXPECT_EQ(checked.status, 2) << "check-config must refuse what run refuses\n" << checked.out;
    EXPECT_NE(checked.err.find(c.says), std::string::npos) << checked.err;
  }
  // check-config passes the config these came from, and localhost is a listen address.
  auto fine = check(config(spool_printer("")), {"--listen", "localhost:0"});
  EXPECT_EQ(fine.status, 0) << fine.err;
}

TEST_F(Startup, Defect2_APortInUseEndsTheStartWithTheReason) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  auto r = run(config(""), {"--listen", "127.0.0.1:" + std::to_string(ntohs(a.sin_port))});
  ::close(fd);
  ASSERT_NE(r.status, -1) << "still running after 15 s: " << r.err;
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cannot listen"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "port"));
}

TEST_F(Startup, Defect7_AReloadPrintingCannotRunWithKeepsTheRunningConfig) {
  const auto cfg = config(spool_printer(""));
  const auto staff = staff_token(cfg, "supervisor", dir.path());
  Process d(FULFILD_BINARY,
            {"--config", cfg.string(), "--port-file", (dir / "port").string(), "run"}, dir.path());
  ASSERT_TRUE(eventually([&] {
    return std::filesystem::exists(dir / "port") && !read_file(dir / "port").empty();
  })) << d.stderr_text();
  const std::string base = "http://127.0.0.1:" + read_file(dir / "port").substr(0, 5);
  auto printers_state = [&] { return http_get(base + "/api/v1/printers", staff); };
  ASSERT_TRUE(eventually([&] { return printers_state().status == 200; })) << d.stderr_text();
  // The same file, now naming a template that does not exist.
  write_file(cfg, read_file(cfg) + "\n");
  const std::string broken = read_file(cfg);
  write_file(cfg, broken.substr(0, broken.find("[printing]\n") + 11) +
                      "waybill_template = \"nope\"\n" +
                      broken.substr(broken.find("[printing]\n") + 11));
  d.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] {
    return d.stderr_text().find("reload refused: keeping the running config") != std::string::npos;
  })) << d.stderr_text();
  EXPECT_NE(d.stderr_text().find("no label template named nope"), std::string::npos);
  EXPECT_EQ(d.stderr_text().find("config reloaded"), std::string::npos);
  auto after = printers_state();
  EXPECT_EQ(after.status, 200) << "printing still runs: " << after.body;
  EXPECT_EQ(after.body.find("\"off\""), std::string::npos) << after.body;
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(std::chrono::seconds(15)), 0);
}

TEST_F(Startup, Defect12_AMistypedStoreFolderIsNamedNotCreated) {
  const auto typo = dir / "typo" / "dir";
  auto r = run_program(
      FULFILD_BINARY,
      {"--config", config("").string(), "--store", "sqlite:" + (typo / "x.db").string(), "migrate"},
      dir.path());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "typo")) << "no fresh, empty store";
}

TEST_F(Startup, Defect13_HelpIsThereForEveryCommand) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"run", "--help"},
                                               {"review", "--help"},
                                               {"help", "review"},
                                               {"--help"},
                                               {"help"}}) {
    auto r = run_program(FULFILD_BINARY, args, dir.path());
    EXPECT_EQ(r.status, 0) << args[0] << " " << r.err;
    EXPECT_NE(r.out.find("usage: fulfild"), std::string::npos) << r.out;
  }
  auto review = run_program(FULFILD_BINARY, {"help", "review"}, dir.path());
  EXPECT_NE(review.out.find("review shortage"), std::string::npos) << review.out;
  EXPECT_EQ(review.out.find("import-csv"), std::string::npos) << "only review's lines";
  auto unknown = run_program(FULFILD_BINARY, {"help", "frobnicate"}, dir.path());
  EXPECT_EQ(unknown.status, 2);
}

}  // namespace
