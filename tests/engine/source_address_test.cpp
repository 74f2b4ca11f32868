// Source addresses (target::source_addresses, `--source-address`): the connections leave from the
// given local addresses in turn, user or slot i from address i mod n, which is how one process
// opens more connections to one target than one address's ~28,000 ephemeral ports allow. Bad
// addresses fail the start, before any request, saying which one and why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "loadgate/error.hpp"
#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

target from(const testing::test_server& server, std::vector<std::string> sources) {
  auto t = target::parse(server.url());
  t.source_addresses = std::move(sources);
  return t;
}

// The run's connections by source address. The first the server accepted is the pre-flight
// probe, which leaves from the first source address: checked here, then left out.
std::map<std::string, int> count_by_address(const std::vector<std::string>& peers, const std::string& probe_from) {
  std::map<std::string, int> counts;
  EXPECT_FALSE(peers.empty());
  if (peers.empty()) return counts;
  EXPECT_EQ(peers.front(), probe_from) << "the probe's connection";
  for (auto p = peers.begin() + 1; p != peers.end(); ++p) ++counts[*p];
  return counts;
}

TEST(SourceAddress, EachUserConnectsFromItsAddressInTurn) {
  testing::test_server server;
  const auto s = scenario{"sources"}.users(6).threads(2).duration(500ms).task(http_task("t", "GET", "/"));
  const auto r = run(s, from(server, {"127.0.0.2", "127.0.0.3", "127.0.0.4"}));
  EXPECT_GT(r.total().count(), 6u);
  EXPECT_EQ(r.total().failures(), 0u);
  // Keep-alive: one connection per user, two users per address.
  EXPECT_EQ(count_by_address(server.peer_addresses(), "127.0.0.2"),
            (std::map<std::string, int>{{"127.0.0.2", 2}, {"127.0.0.3", 2}, {"127.0.0.4", 2}}));
}

TEST(SourceAddress, OpenModelSlotsUseThemToo) {
  testing::test_server server{{.delay = 20ms}};  // overlapping requests need several slots
  const auto s = scenario{"open-sources"}.rate(200).threads(1).duration(500ms).task(http_task("t", "GET", "/"));
  const auto r = run(s, from(server, {"127.0.0.5", "127.0.0.6"}));
  EXPECT_EQ(r.total().failures(), 0u);
  const auto counts = count_by_address(server.peer_addresses(), "127.0.0.5");
  EXPECT_THAT(counts, ::testing::ElementsAre(::testing::Key("127.0.0.5"), ::testing::Key("127.0.0.6")));
}

TEST(SourceAddress, WithoutThemTheSystemChooses) {
  testing::test_server server;
  const auto r = run(scenario{"default"}.users(2).duration(200ms).task(http_task("t", "GET", "/")), from(server, {}));
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(count_by_address(server.peer_addresses(), "127.0.0.1"), (std::map<std::string, int>{{"127.0.0.1", 2}}));
}

void expect_refused_before_any_request(const std::vector<std::string>& sources, const std::string& message,
                                       bool configuration) {
  testing::test_server server;
  const auto s = scenario{"bad-source"}.users(2).duration(200ms).task(http_task("t", "GET", "/"));
  try {
    (void)run(s, from(server, sources));
    ADD_FAILURE() << "expected the start to fail";
  } catch (const configuration_error& e) {
    EXPECT_TRUE(configuration) << e.what();
    EXPECT_THAT(e.what(), HasSubstr(message));
  } catch (const start_error& e) {
    EXPECT_FALSE(configuration) << e.what();
    EXPECT_THAT(e.what(), HasSubstr(message));
  }
  EXPECT_EQ(server.requests(), 0u);
}

TEST(SourceAddress, NotAnAddressIsAConfigurationError) {
  expect_refused_before_any_request({"127.0.0.2", "loopback-two"},
                                    "--source-address 'loopback-two' is not an IP address", true);
}

TEST(SourceAddress, AnotherFamilyThanTheTargetsIsAConfigurationError) {
  expect_refused_before_any_request({"::1"}, "--source-address ::1 is IPv6 but the target host '127.0.0.1' has no IPv6",
                                    true);
}

TEST(SourceAddress, AnAddressOfAnotherMachineFailsTheStart) {
  // 192.0.2.1 (TEST-NET-1) is nobody's: binding to it fails, so nothing is ever sent from it.
  expect_refused_before_any_request({"192.0.2.1"}, "cannot use --source-address 192.0.2.1: Cannot assign requested address",
                                    false);
}

}  // namespace
}  // namespace loadgate
