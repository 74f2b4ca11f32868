// One translation unit against the installed headers and library: a scenario's configuration and
// fingerprint, and the unreachable-target message, without a service to run against.
#include <cstdlib>

#include <loadgate/gate/fingerprint.hpp>
#include <loadgate/gtest.hpp>
#include <loadgate/loadgate.hpp>

namespace {

using namespace std::chrono_literals;

TEST(Consumer, ScenarioConfigurationIsFingerprinted) {
  const auto scenario = loadgate::scenario{"consumer"}.users(3).duration(2s).task(loadgate::http_task("health", "GET", "/health"));
  const auto configuration = loadgate::scenario_configuration(scenario);
  EXPECT_EQ(configuration["scenario"]["load"]["users"], 3);
  EXPECT_EQ(loadgate::fingerprint(configuration), loadgate::fingerprint(loadgate::scenario_configuration(scenario)));
  EXPECT_NE(loadgate::fingerprint(configuration),
            loadgate::fingerprint(loadgate::scenario_configuration(loadgate::scenario{scenario}.users(4))));
}

TEST(Consumer, UnreachableTargetSaysWhatToDo) {
  ::setenv("LOADGATE_TARGET", "http://127.0.0.1:1", 1);  // port 1: nothing listens on loopback
  try {
    (void)loadgate::target_from_env();
    FAIL() << "expected unreachable_target";
  } catch (const loadgate::unreachable_target& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("nothing answers at http://127.0.0.1:1"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("LOADGATE_SKIP_UNREACHABLE=1"));
  }
}

}  // namespace
