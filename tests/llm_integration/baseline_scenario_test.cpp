// A baseline's stored scenario is a scenario file: `loadgate baseline show --scenario` prints it,
// `loadgate run --scenario` runs it, and the run is the load the baseline was recorded with.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/fingerprint.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/scenario_file.hpp"
#include "loadgate_command.hpp"
#include "sim_process.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using loadgate::test_support::run_loadgate;
using loadgate::test_support::with_stderr;

TEST(BaselineScenario, ShowThenRunIsTheRecordedLoad) {
  const fs::path baseline_file = LOADGATE_SOURCE_DIR "/baselines/default/Smoke.Generate.json";
  const auto stored = loadgate::read_baseline(baseline_file);
  const auto dir = fs::temp_directory_path() / ("loadgate-baseline-scenario-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto scenario_file = dir / "smoke.json";

  const auto shown = run_loadgate("baseline show --scenario " + baseline_file.string(), with_stderr::no);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  std::ofstream{scenario_file} << shown.output;
  EXPECT_EQ(json::parse(shown.output), stored.configuration.at("scenario")) << "the file is the stored scenario";
  // Read as `loadgate run --scenario` reads it, the scenario fingerprints as the baseline did.
  auto configuration = stored.configuration;
  configuration["scenario"] = json(loadgate::load_scenario_file(scenario_file));
  EXPECT_EQ(loadgate::fingerprint(configuration), stored.fingerprint);

  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const auto ran = run_loadgate("run http://127.0.0.1:" + std::to_string(sim.port()) + " --scenario " +
                                scenario_file.string() + " --out " + (dir / "results").string() + " --quiet");
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  fs::path result_file;
  for (const auto& entry : fs::recursive_directory_iterator{dir / "results"})
    if (entry.path().filename() == "result.json") result_file = entry.path();
  ASSERT_FALSE(result_file.empty()) << ran.output;
  const auto r = loadgate::read_result(result_file);
  const auto& recorded = stored.runs.front().info;
  EXPECT_EQ(r.info.scenario, recorded.scenario);
  EXPECT_EQ(r.info.model, recorded.model);
  EXPECT_EQ(r.info.seed, recorded.seed);
  EXPECT_EQ(r.info.peak_users, recorded.peak_users);
  EXPECT_EQ(r.info.planned_duration, recorded.planned_duration);
  EXPECT_EQ(r.info.per_request_slo, recorded.per_request_slo);
  EXPECT_EQ(r.request_names(), stored.runs.front().request_names());
  EXPECT_GT(r.total({.request = "generate"}).successes(), 0u);
  fs::remove_all(dir);
}

}  // namespace
