// Issue 24 (bad input): the Host header, checked so that a web page cannot rebind its own
// name to the daemon (DNS rebinding) and read buyers' data; and the listen address that
// check-config warns about.
#include "api/host_check.hpp"

#include <gtest/gtest.h>

#include "config.hpp"

namespace fulfil::daemon::api {
namespace {

TEST(HostCheck, AddressesLocalhostAndConfiguredNamesOnly) {
  const std::vector<std::string> names = {"fulfil.warehouse.lan"};
  for (const char* ok :
       {"127.0.0.1:8080", "127.0.0.1", "10.0.0.5:80", "[::1]:8080", "[::1]", "localhost:8080",
        "LOCALHOST", "fulfil.warehouse.lan", "Fulfil.Warehouse.LAN:8443", ""})
    EXPECT_TRUE(host_allowed(ok, names)) << ok;
  for (const char* refused :
       {"evil.example", "evil.example:8080", "fulfil.warehouse.lan.evil", "127.0.0.1.nip.io:8080",
        "localhost.evil:80", "[::1", "a:b:c", "fulfil.warehouse.lan:80x"})
    EXPECT_FALSE(host_allowed(refused, names)) << refused;
  EXPECT_FALSE(host_allowed("fulfil.warehouse.lan", {})) << "only when configured";
}

TEST(HostCheck, LoopbackListenAddresses) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.8.9.1"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("10.0.0.5"));
}

TEST(HostCheck, TheConfigNamesItsHostsAndWarnsOfAListenerBeyondLoopback) {
  auto c = parse_config("[http]\nlisten = \"0.0.0.0:8080\"\nhosts = [\"fulfil.lan\"]\n", "a.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->http_hosts, std::vector<std::string>{"fulfil.lan"});
  bool warned = false;
  for (const auto& w : config_warnings(*c))
    warned = warned || w.starts_with(
                           "a.toml: http.listen: 0.0.0.0:8080 is reached from other "
                           "machines without TLS");
  EXPECT_TRUE(warned);
  auto local = parse_config("", "b.toml");
  for (const auto& w : config_warnings(*local)) EXPECT_EQ(w.find("http.listen"), std::string::npos);
  auto bad = parse_config("[http]\nhosts = [\"evil.example:80\"]\n", "c.toml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "c.toml:2: http.hosts: \"evil.example:80\" is not a host name");
}

}  // namespace
}  // namespace fulfil::daemon::api
