// `loadgate gate --baseline FILE RESULT...` as a CI job runs it: one exit code per verdict, on
// synthetic runs whose change is known (the gate's calibration model, perf/bench).
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "loadgate_command.hpp"
#include "gate_synthetic_runs.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate_json.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/run_folder.hpp"

namespace fs = std::filesystem;
using testing::HasSubstr;

namespace {

using namespace loadgate::cli;  // the exit codes
using loadgate::test_support::run_loadgate;

const nlohmann::json configuration = {{"scenario", {{"name", "synthetic"}, {"load", {{"users", 32}}}}}};

loadgate::result run_with(double shift, std::uint64_t seed, const nlohmann::json& config = configuration) {
  loadgate::bench::synthetic_model m;
  m.shift = shift;
  m.seconds = 20;
  auto r = loadgate::bench::synthetic_run(m, seed);
  r.info.configuration = config.dump();
  return r;
}

struct GateCommand : testing::Test {
  fs::path dir = fs::temp_directory_path() / ("loadgate-gate-command-" + std::to_string(::getpid()) + "-" +
                                              testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path baseline_file = dir / "baselines/Suite.Test.json";

  void SetUp() override {
    fs::remove_all(dir);
    std::vector<loadgate::result> runs{run_with(1.0, 1), run_with(1.0, 2), run_with(1.0, 3)};
    const auto b = loadgate::make_baseline("Suite.Test", configuration, runs, {loadgate::p95()}, loadgate::baseline_environment{});
    loadgate::write_baseline(b, baseline_file);
  }
  void TearDown() override { fs::remove_all(dir); }

  // A run folder holding `r`, as `loadgate run` leaves one.
  std::string folder_of(const loadgate::result& r, const std::string& name) {
    const auto folder = dir / name;
    fs::create_directories(folder);
    loadgate::write_result(r, folder);
    return folder.string();
  }
  std::string gate(const std::string& results) { return "gate --baseline " + baseline_file.string() + " " + results; }
};

}  // namespace

TEST_F(GateCommand, NoChangePassesWithZero) {
  const auto run = folder_of(run_with(1.0, 11), "run");
  const auto o = run_loadgate(gate(run));
  EXPECT_EQ(o.exit_code, exit_completed) << o.output;
  EXPECT_THAT(o.output, HasSubstr("baseline gate passed"));
  // The verdict is kept beside the result, and the reports show it.
  const auto evidence = loadgate::read_run_folder(run);
  ASSERT_TRUE(evidence.gate && evidence.gate->decision);
  EXPECT_TRUE(evidence.gate->decision->passed());
  EXPECT_TRUE(evidence.against) << "the baseline is at hand, so the report overlays it";
  EXPECT_TRUE(fs::exists(fs::path{run} / "report.html"));
}

TEST_F(GateCommand, ARegressionExitsWithOne) {
  const auto run = folder_of(run_with(1.3, 12), "run");
  const auto o = run_loadgate(gate(run + "/result.json"));
  EXPECT_EQ(o.exit_code, exit_regression) << o.output;
  EXPECT_THAT(o.output, testing::ContainsRegex("p95 latency .* regression"));
  const auto kept = nlohmann::json::parse(std::ifstream{fs::path{run} / "gate.json"});
  EXPECT_EQ(kept.at("passed"), false);
  EXPECT_EQ(kept.at("gate").at("decision").at("metrics").at(1).at("metric").at("key"), "latency.p95");
  EXPECT_EQ(kept.at("gate").at("decision").at("metrics").at(1).at("verdict"), "regression");
}

TEST_F(GateCommand, TooCloseToCallAsksForAnotherRunWithFour) {
  // A 6 % shift against a 10 % threshold: one run cannot tell; the bound of three runs decides.
  const auto first = folder_of(run_with(1.06, 13), "first");
  const auto o = run_loadgate(gate(first));
  EXPECT_EQ(o.exit_code, exit_inconclusive) << o.output;
  EXPECT_THAT(o.output, HasSubstr("run the scenario again and pass every result"));
  const auto all = first + " " + folder_of(run_with(1.06, 14), "second") + " " + folder_of(run_with(1.06, 15), "third");
  const auto decided = run_loadgate(gate(all));
  EXPECT_THAT(decided.exit_code, testing::AnyOf(exit_completed, exit_regression)) << "decided at the bound\n" << decided.output;
}

TEST_F(GateCommand, AnotherConfigurationIsStaleWithFive) {
  auto changed = configuration;
  changed["scenario"]["load"]["users"] = 64;
  const auto o = run_loadgate(gate(folder_of(run_with(1.0, 16, changed), "run")));
  EXPECT_EQ(o.exit_code, exit_stale) << o.output;
  EXPECT_THAT(o.output, HasSubstr("stale"));
  EXPECT_THAT(o.output, HasSubstr("/scenario/load/users"));
}

TEST_F(GateCommand, NoBaselineIsMissingWithSix) {
  const auto run = folder_of(run_with(1.0, 17), "run");
  const auto o = run_loadgate("gate --baseline " + (dir / "none.json").string() + " " + run);
  EXPECT_EQ(o.exit_code, exit_missing) << o.output;
  EXPECT_THAT(o.output, HasSubstr("loadgate baseline record"));
  // ... and that command records one the gate then accepts.
  const auto recorded = run_loadgate("baseline record " + (dir / "none.json").string() + " " + run);
  ASSERT_EQ(recorded.exit_code, exit_completed) << recorded.output;
  EXPECT_EQ(run_loadgate("gate --baseline " + (dir / "none.json").string() + " " + run).exit_code, exit_completed);
}

TEST_F(GateCommand, AResultWithoutItsConfigurationIsRefused) {
  auto r = run_with(1.0, 18);
  r.info.configuration = "null";
  const auto o = run_loadgate(gate(folder_of(r, "run")));
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("does not record its scenario's configuration"));
}

TEST_F(GateCommand, CompareShowsChangeAndIntervalAndExitsZero) {
  const auto before = folder_of(run_with(1.0, 19), "before");
  const auto after = folder_of(run_with(1.3, 20), "after");
  const auto o = run_loadgate("compare " + before + " " + after);
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_THAT(o.output, testing::ContainsRegex("p95 latency +[0-9.]+ ms +[0-9.]+ ms +\\+[0-9.]+ % \\[\\+[0-9.]+, \\+[0-9.]+\\] +regression"));
  const auto against_baseline = run_loadgate("compare " + baseline_file.string() + " " + after);
  EXPECT_EQ(against_baseline.exit_code, 0) << against_baseline.output;
  EXPECT_THAT(against_baseline.output, HasSubstr("(3 runs)"));
}
