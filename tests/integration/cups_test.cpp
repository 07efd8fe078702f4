// CUPS / IPP through libcups against ippeveprinter (Debian's cups-ipp-utils), a real IPP
// printer on loopback: a PDF job followed until `completed`; a job the printer aborts (its
// print command fails) reported as aborted and certainly unprinted; jobs found again by
// name after a restart. ippeveprinter needs DNS-SD (avahi-daemon on D-Bus): without it the
// test is skipped with that reason (scripts/test.sh starts them when it can).
#include <gtest/gtest.h>

#include <unistd.h>

#include <thread>

#include "label_sample.hpp"
#include "lang/language.hpp"
#include "layout/layout.hpp"
#include "process.hpp"
#include "test_support.hpp"
#include "transport/cups.hpp"

using namespace fulfil;

namespace {

// An ippeveprinter on a free port; `command` "prints" each document (/bin/false aborts).
class IppPrinter {
 public:
  IppPrinter(const test::TempDir& dir, const std::string& command) {
    static int next = 0;
    port = 18700 + (::getpid() % 200) * 5 + next++;
    const auto home = dir.path() / ("ipp-" + std::to_string(port));
    std::filesystem::create_directories(home);
    process = std::make_unique<test::Process>(
        "/usr/sbin/ippeveprinter",
        std::vector<std::string>{"-p", std::to_string(port), "-r", "off", "-f", "application/pdf",
                                 "-d", home.string(), "-k", "-c", command,
                                 "fulfil-" + std::to_string(port)},
        home);
    for (int i = 0; i < 50 && !ready(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  bool ready() const {
    printers::CupsSettings s;
    s.uri = uri();
    return printers::CupsTransport(s).arrived("nothing").has_value();
  }
  std::string uri() const { return "ipp://127.0.0.1:" + std::to_string(port) + "/ipp/print"; }
  std::unique_ptr<test::Process> process;
  int port = 0;
};

std::string sample_pdf() {
  auto font = *printers::Font::open("WenQuanYi Zen Hei");
  auto doc =
      printers::lay_out(test::source_template("waybill-76x130.toml"), test::sample_label(2), *font);
  const printers::Document* d = &*doc;
  return *printers::render_pdf(std::span(&d, 1), *font);
}

TEST(Cups, AJobCountsAsPrintedOnlyWhenCompletedAndAnAbortedOneIsNamed) {
  if (!std::filesystem::exists("/usr/sbin/ippeveprinter"))
    GTEST_SKIP() << "ippeveprinter (cups-ipp-utils) is not installed";
  test::TempDir dir;
  IppPrinter good(dir, "/bin/true");
  if (!good.ready())
    GTEST_SKIP() << "ippeveprinter did not start (it needs avahi-daemon for DNS-SD): "
                 << good.process->stderr_text() << good.process->stdout_text();
  printers::CupsSettings s;
  s.uri = good.uri();
  s.poll = std::chrono::milliseconds(50);
  s.job_timeout = std::chrono::seconds(20);
  printers::CupsTransport cups(s);
  const std::string pdf = sample_pdf();
  auto out = cups.print("zebra-waybill-7-1", std::vector<std::string>{pdf});
  EXPECT_EQ(out.printed, 1) << (out.error ? out.error->message : "") << "\n"
                            << good.process->stderr_text() << good.process->stdout_text();
  EXPECT_FALSE(out.error);
  EXPECT_EQ(cups.arrived("zebra-waybill-7-1"), std::optional<bool>(true));
  EXPECT_EQ(cups.arrived("never-sent"), std::optional<bool>(false));

  IppPrinter broken(dir, "/bin/false");
  ASSERT_TRUE(broken.ready());
  s.uri = broken.uri();
  printers::CupsTransport aborting(s);
  auto aborted = aborting.print("zebra-waybill-8-1", std::vector<std::string>{pdf});
  EXPECT_EQ(aborted.printed, 0);
  ASSERT_TRUE(aborted.error);
  EXPECT_NE(aborted.error->message.find("aborted"), std::string::npos) << aborted.error->message;
  EXPECT_EQ(aborted.uncertain, 0);
  EXPECT_EQ(aborting.arrived("zebra-waybill-8-1"), std::optional<bool>(false));

  s.uri = "ipp://127.0.0.1:1/ipp/print";
  auto nowhere = printers::CupsTransport(s).print("x", std::vector<std::string>{pdf});
  ASSERT_TRUE(nowhere.error);
  EXPECT_EQ(nowhere.error->kind, ErrorKind::network);
  s.uri = "http://printer/";
  EXPECT_EQ(printers::CupsTransport(s).print("x", std::vector<std::string>{pdf}).error->kind,
            ErrorKind::config);
}

}  // namespace
