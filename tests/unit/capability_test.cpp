// The daemon as a list of capabilities (issue 23): the list, what each declares, and how the
// core's CapabilitySet starts, reloads and stops them.
#include <gtest/gtest.h>

#include <set>

#include "api/api_router.hpp"
#include "api_fixture.hpp"
#include "capabilities.hpp"
#include "capability_set.hpp"
#include "cli.hpp"
#include "modules.hpp"
#include "test_support.hpp"

namespace fulfil::daemon {
namespace {

std::vector<std::string> names(const std::vector<std::unique_ptr<Capability>>& list) {
  std::vector<std::string> out;
  for (const auto& c : list) out.emplace_back(c->name());
  return out;
}

TEST(Capabilities, TheListNamesEachCapabilityOnceInTheOrderTheyStart) {
  EXPECT_EQ(names(make_capabilities()),
            (std::vector<std::string>{"identity", "sync", "review", "shipping", "tracking",
                                      "printing", "stock", "picking", "packing", "aftersale",
                                      "reminders", "service"}));
}

// Each capability's migrations apply in the list's order, and only those: module_migrations()
// is the list's, nothing added on the side.
TEST(Capabilities, MigrationsAreTheCapabilitiesInListOrder) {
  std::vector<std::string> from_list;
  for (const auto& c : make_capabilities())
    for (const auto& set : c->migrations()) from_list.emplace_back(set.module);
  std::vector<std::string> applied;
  for (const auto& set : module_migrations()) applied.emplace_back(set.module);
  EXPECT_EQ(applied, from_list);
  EXPECT_EQ(applied, (std::vector<std::string>{"identity", "csvimport", "review", "courier",
                                               "printing", "stock", "picking", "packing",
                                               "aftersale", "reminders", "reports"}));
}

// Every command is in the table once, with its help and a handler; each capability's commands
// are there in the list's order between the core's.
TEST(Capabilities, EveryCommandComesFromTheCoreOrOneCapability) {
  std::vector<std::string> expected = {"run", "check-config"};
  for (const auto& c : make_capabilities())
    for (const auto& command : c->commands()) {
      expected.emplace_back(command.name);
      EXPECT_TRUE(command.run) << command.name << " has no handler";
    }
  for (auto core : {"migrate", "cluster", "version"}) expected.emplace_back(core);
  std::vector<std::string> table;
  for (const auto& command : command_table()) {
    table.emplace_back(command.name);
    EXPECT_FALSE(command.usage.empty()) << command.name << " has no help";
  }
  EXPECT_EQ(table, expected);
  EXPECT_EQ(std::set<std::string>(table.begin(), table.end()).size(), table.size());
}

// Each top-level table of the config is read by one section; a reload of a restart-only one
// (the after-sale channel) is reported, a live one is not.
TEST(Capabilities, ConfigSectionsSayWhichChangesWaitForARestart) {
  std::set<std::string> sections;
  for (const auto& c : make_capabilities())
    for (const auto& s : c->config_sections())
      EXPECT_TRUE(sections.insert(s.name).second) << s.name << " read twice";
  EXPECT_EQ(sections,
            (std::set<std::string>{"identity", "sync, shops", "review", "shipping", "printing",
                                   "stock_push", "picking", "aftersale", "reminders"}));

  auto running = parse_config("", "a.toml");
  auto review_changed = parse_config("[review]\ninterval_seconds = 9\n", "a.toml");
  auto channel_changed = parse_config(
      "[aftersale]\nservice_endpoint = \"tcp://127.0.0.1:5999\"\ncurve = false\n", "a.toml");
  ASSERT_TRUE(running && review_changed) << review_changed.error().message;
  ASSERT_TRUE(channel_changed) << channel_changed.error().message;
  test::TempDir dir;
  StoreAccess store(*store::StoreUrl::parse("sqlite:" + (dir.path() / "x.db").string()));
  SystemClock clock;
  LiveConfig live(std::make_shared<const Config>(*running));
  api::ProcessState state;
  Services services{store, clock, live, state};
  CapabilitySet set(make_capabilities(), services);
  EXPECT_TRUE(set.restart_only_changes(*running, *review_changed).empty());
  EXPECT_EQ(set.restart_only_changes(*running, *channel_changed),
            std::vector<std::string>{"aftersale"});
}

// A capability that records what the core asks of it.
class Probe final : public Capability {
 public:
  Probe(std::string name, std::vector<std::string>& journal) : m_name(name), m_journal(journal) {}
  std::string_view name() const override { return m_name; }
  Result<void> start(const Config&) override {
    m_journal.push_back("start " + m_name);
    if (fail_start) return fail(ErrorKind::config, m_name + ": cannot start");
    return {};
  }
  Result<void> prepare_reload(const Config&) override {
    m_journal.push_back("prepare " + m_name);
    if (fail_reload) return fail(ErrorKind::config, m_name + ": refuses the reload");
    return {};
  }
  void commit_reload() override { m_journal.push_back("commit " + m_name); }
  void stop() override { m_journal.push_back("stop " + m_name); }
  bool fail_start = false, fail_reload = false;

 private:
  std::string m_name;
  std::vector<std::string>& m_journal;
};

struct ProbeSet {
  ProbeSet(std::vector<bool> fail_start, std::vector<bool> fail_reload)
      : live(std::make_shared<const Config>()),
        store(*store::StoreUrl::parse("sqlite:" + (dir.path() / "x.db").string())),
        services{store, clock, live, state} {
    std::vector<std::unique_ptr<Capability>> list;
    for (std::size_t i = 0; i < fail_start.size(); ++i) {
      auto p = std::make_unique<Probe>(std::string(1, static_cast<char>('a' + i)), journal);
      p->fail_start = fail_start[i];
      p->fail_reload = fail_reload[i];
      list.push_back(std::move(p));
    }
    set.emplace(std::move(list), services);
  }
  test::TempDir dir;
  std::vector<std::string> journal;
  SystemClock clock;
  LiveConfig live;
  api::ProcessState state;
  StoreAccess store;
  Services services;
  std::optional<CapabilitySet> set;
};

TEST(CapabilitySet, StartsInListOrderAndStopsInReverse) {
  ProbeSet p({false, false, false}, {false, false, false});
  ASSERT_TRUE(p.set->start(Config{}));
  p.set->stop();
  p.set->stop();  // a second stop (the destructor's) stops nothing twice
  EXPECT_EQ(p.journal, (std::vector<std::string>{"start a", "start b", "start c", "stop c",
                                                 "stop b", "stop a"}));
}

TEST(CapabilitySet, OneThatCannotStartStopsThoseBeforeItAndNamesItself) {
  ProbeSet p({false, true, false}, {false, false, false});
  auto r = p.set->start(Config{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "b: cannot start");
  EXPECT_EQ(p.journal, (std::vector<std::string>{"start a", "start b", "stop a"}));
  p.set.reset();
  EXPECT_EQ(p.journal.size(), 3u) << "c never started and a is not stopped twice";
}

TEST(CapabilitySet, AReloadOneCapabilityRefusesCommitsNothing) {
  ProbeSet refused({false, false}, {false, true});
  EXPECT_FALSE(refused.set->reload(Config{}));
  EXPECT_EQ(refused.journal, (std::vector<std::string>{"prepare a", "prepare b"}));

  ProbeSet taken({false, false}, {false, false});
  EXPECT_TRUE(taken.set->reload(Config{}));
  EXPECT_EQ(taken.journal,
            (std::vector<std::string>{"prepare a", "prepare b", "commit a", "commit b"}));
}

// Issue 24 (bad input): a Host that is not this daemon's is refused before any route runs;
// [http] hosts names the ones staff use.
TEST(CapabilitySet, TheRouterRefusesAHostThatIsNotThisDaemons) {
  test::ApiFixture api;
  auto& router = api.router;
  http::Request req;
  req.method = "GET";
  req.target = req.path = "/readyz";
  req.host = "rebound.evil.example:8080";
  auto refused = router.handle(req);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("host_refused"), std::string::npos) << refused.body;
  req.host = "127.0.0.1:8080";
  EXPECT_EQ(router.handle(req).status, 503) << "starting: the route ran";
  auto config = parse_config("[http]\nhosts = [\"rebound.evil.example\"]\n", "a.toml");
  ASSERT_TRUE(config);
  api.live.set(std::make_shared<const Config>(*config));
  req.host = "rebound.evil.example:8080";
  EXPECT_EQ(router.handle(req).status, 503) << "a configured name";
}

}  // namespace
}  // namespace fulfil::daemon
