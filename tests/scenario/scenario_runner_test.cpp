// gated_run's handling of baselines, with synthetic runs instead of a service (the runner seam):
// create, compare, rerun when inconclusive, stale, missing in CI, update.
#include "loadgate/scenario_runner.hpp"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gate_synthetic_runs.hpp"
#include "loadgate/error.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/scenario_configuration.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

class GatedRun : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.root = fs::path{::testing::TempDir()} / ("gated_run_" + std::string{::testing::UnitTest::GetInstance()->current_test_info()->name()});
    fs::remove_all(env_.root);
  }

  // Each call is one more run of a service whose latency is `shift` times the original.
  gated_run_options options(double shift) {
    return gated_run_options{}.runner([this, shift](const scenario&, const target&) {
      bench::synthetic_model m;
      m.seconds = 20;
      m.shift = shift;
      ++runs_made_;
      return bench::synthetic_run(m, seed_++);
    });
  }

  gated_outcome run(const scenario& s, double shift) { return gated_run(s, target{}, "Suite", "Test", options(shift), env_); }

  scenario scenario_ = scenario{"synthetic"}.users(8).duration(20s).task(http_task("generate", "POST", "/generate"));
  baseline_environment env_;
  std::uint64_t seed_ = 1;
  int runs_made_ = 0;
};

TEST_F(GatedRun, CreatesAMissingBaselineLocallyFromMaxRunsRuns) {
  const auto outcome = run(scenario_, 1.0);
  EXPECT_EQ(outcome.action, baseline_action::create);
  EXPECT_TRUE(outcome.passed());
  EXPECT_EQ(runs_made_, 3);
  EXPECT_TRUE(fs::exists(env_.root / "default" / "Suite.Test.json"));
  EXPECT_THAT(outcome.message, HasSubstr("commit it"));
  EXPECT_EQ(read_baseline(outcome.baseline_file).runs.size(), 3u);
}

TEST_F(GatedRun, PassesAgainstItsOwnBaselineAndFailsA30PercentSlowdown) {
  run(scenario_, 1.0);
  const auto same = run(scenario_, 1.0);
  EXPECT_EQ(same.action, baseline_action::compare);
  EXPECT_TRUE(same.passed()) << same.message;

  const auto slower = run(scenario_, 1.3);
  EXPECT_FALSE(slower.passed());
  ASSERT_TRUE(slower.decision.has_value());
  EXPECT_THAT(slower.message, HasSubstr("regression"));
  EXPECT_THAT(slower.message, HasSubstr("p95 latency"));
}

// The synthetic runs are seeded, so these verdicts repeat exactly: against the baseline of seeds
// 1-3, a 2 % slowdown (seeds 4, 5, 6) is inconclusive after one and two runs and passes after
// three; a 4 % one is inconclusive after one run.
TEST_F(GatedRun, AnInconclusiveVerdictRunsAgainUntilItIsDecided) {
  run(scenario_, 1.0);
  runs_made_ = 0;
  auto opts = options(1.02);
  opts.gate(gate_options{}.max_runs(3));
  const auto outcome = gated_run(scenario_, target{}, "Suite", "Test", opts, env_);
  ASSERT_EQ(runs_made_, 3) << "two inconclusive verdicts, two more runs";
  ASSERT_EQ(outcome.runs.size(), 3u);
  const auto stored = read_baseline(outcome.baseline_file);
  EXPECT_TRUE(decide(stored, {outcome.runs[0]}, gate_options{}.max_runs(3)).rerun()) << "why the second run was made";
  EXPECT_EQ(outcome.decision->runs, 3u);
  EXPECT_FALSE(outcome.decision->rerun());
  EXPECT_TRUE(outcome.passed());
}

TEST_F(GatedRun, RerunsNoMoreThanMaxRuns) {
  run(scenario_, 1.0);
  runs_made_ = 0;
  auto opts = options(1.04);  // inconclusive after one run: a rerun is wanted, and the bound stops it at two
  opts.gate(gate_options{}.max_runs(2));
  const auto outcome = gated_run(scenario_, target{}, "Suite", "Test", opts, env_);
  EXPECT_EQ(runs_made_, 2);
  EXPECT_EQ(outcome.runs.size(), 2u);
  EXPECT_EQ(outcome.decision->runs, 2u);
  EXPECT_FALSE(outcome.decision->rerun()) << "decided at the bound";
}

TEST_F(GatedRun, AStaleBaselineFailsWithoutRunningAndSaysHowToUpdate) {
  run(scenario_, 1.0);
  runs_made_ = 0;
  const auto outcome = run(scenario{scenario_}.users(16), 1.0);
  EXPECT_EQ(outcome.action, baseline_action::fail_stale);
  EXPECT_FALSE(outcome.passed());
  EXPECT_EQ(runs_made_, 0);
  EXPECT_THAT(outcome.message, HasSubstr("stale"));
  EXPECT_THAT(outcome.message, HasSubstr("/scenario/load/users"));
  EXPECT_THAT(outcome.message, HasSubstr("LOADGATE_UPDATE_BASELINES=1 ctest"));
}

TEST_F(GatedRun, AMissingBaselineFailsInCiWithTheCommandThatCreatesIt) {
  env_.ci = true;
  const auto outcome = run(scenario_, 1.0);
  EXPECT_EQ(outcome.action, baseline_action::fail_missing);
  EXPECT_FALSE(outcome.passed());
  EXPECT_FALSE(outcome.ran());
  EXPECT_THAT(outcome.message, HasSubstr("LOADGATE_UPDATE_BASELINES=1 ctest -L perf -R '^Suite\\.Test$'"));
  EXPECT_THROW((void)outcome.pooled(), configuration_error);
}

TEST_F(GatedRun, UpdateRewritesTheBaselineAndShowsOldAgainstNew) {
  run(scenario_, 1.0);
  env_.update = true;
  const auto outcome = run(scenario_, 1.3);
  EXPECT_EQ(outcome.action, baseline_action::update);
  EXPECT_TRUE(outcome.passed());
  EXPECT_THAT(outcome.message, HasSubstr("p95 latency"));
  EXPECT_THAT(outcome.message, HasSubstr("updating the baseline"));
  const auto stored = read_baseline(outcome.baseline_file);
  EXPECT_EQ(stored.runs.size(), 3u);
}

TEST(ScenarioConfiguration, CoversTheKnobsNotTheTarget) {
  const auto s = scenario{"s"}.users(8).spawn_rate(4).duration(12s).think_time(between(10ms, 30ms))
                     .task(3, http_task("a", "GET", "/a")).task(http_task("b", "GET", "/b"));
  const auto c = scenario_configuration(s, {{"max_new_tokens", 32}});
  EXPECT_EQ(c["scenario"]["load"]["model"], "closed");
  EXPECT_EQ(c["scenario"]["load"]["users"], 8);
  EXPECT_EQ(c["scenario"]["duration_s"], 12.0);
  EXPECT_EQ(c["scenario"]["tasks"][0]["weight"], 3);
  EXPECT_EQ(c["extra"]["max_new_tokens"], 32);
  EXPECT_FALSE(c.dump().find("127.0.0.1") != std::string::npos);
  EXPECT_FALSE(c["scenario"].contains("threads"));  // one per core unless set: machine-dependent
}

// A request knob changed in the scenario's code makes its baseline stale without the scenario
// having to pass the knob in `extra`.
TEST(ScenarioConfiguration, RequestShapesDescribeTheirKnobs) {
  const auto with = [](unsigned tokens) {
    lorax::options o;
    o.max_new_tokens = tokens;
    return scenario_configuration(scenario{"s"}.users(1).duration(1s).task(lorax::generate_stream(o)));
  };
  const auto task = with(32)["scenario"]["tasks"][0];
  EXPECT_EQ(task["type"], "lorax.generate_stream") << "the task's spec, as a scenario file has it";
  EXPECT_EQ(task["max_new_tokens"], 32);
  EXPECT_NE(with(32), with(64));

  const auto plain = scenario_configuration(scenario{"s"}.users(1).duration(1s).task(http_task("a", "POST", "/a", "{}")));
  EXPECT_EQ(plain["scenario"]["tasks"][0]["type"], "http");
  EXPECT_EQ(plain["scenario"]["tasks"][0]["path"], "/a");
  EXPECT_EQ(plain["scenario"]["tasks"][0]["body"], "{}");
}

TEST(ScenarioConfiguration, ATaskDescriptionNeverHoldsTheApiToken) {
  ::setenv("LOADGATE_TEST_TOKEN", "s3cr3t-value", 1);
  lorax::options o;
  o.api_token_env = "LOADGATE_TEST_TOKEN";
  const auto c = scenario_configuration(scenario{"s"}.users(1).duration(1s).task(lorax::generate(o)));
  ::unsetenv("LOADGATE_TEST_TOKEN");
  EXPECT_EQ(c.dump().find("s3cr3t-value"), std::string::npos);
  EXPECT_EQ(c["scenario"]["tasks"][0]["api_token_env"], "LOADGATE_TEST_TOKEN");
}

TEST(ScenarioConfiguration, AHandWrittenTaskIsKnownByNameOrItsOwnDescription) {
  task bare;
  bare.name = "custom";
  bare.request = [](task_context&) { return http_request{}; };
  const auto without = scenario_configuration(scenario{"s"}.users(1).duration(1s).task(bare))["scenario"]["tasks"][0];
  EXPECT_EQ(without["name"], "custom");
  EXPECT_EQ(without["code"], true);
  EXPECT_FALSE(without.contains("description"));
  bare.description = "v2 of the login flow";
  EXPECT_EQ(scenario_configuration(scenario{"s"}.users(1).duration(1s).task(bare))["scenario"]["tasks"][0]["description"],
            "v2 of the login flow");
}

TEST(ScenarioConfiguration, OnlyTheChosenModelsKnobsCount) {
  const auto a = scenario{"s"}.rate(100).task(http_task("a", "GET", "/a"));
  const auto b = scenario{"s"}.load(closed_load{.users = 50}).load(open_load{.rate = 100}).task(http_task("a", "GET", "/a"));
  EXPECT_EQ(scenario_configuration(a), scenario_configuration(b));
  EXPECT_EQ(scenario_configuration(a)["scenario"]["load"]["model"], "open");
  EXPECT_FALSE(scenario_configuration(a)["scenario"]["load"].contains("users"));
}

}  // namespace
}  // namespace loadgate
