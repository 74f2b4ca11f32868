// Three `loadgate run --shard i/3 --start-at T` processes against one simulator, merged with
// `loadgate merge` (the acceptance): the merged counts are the shards' sum and the
// server's own count, the merged percentiles are those of one histogram of every sample, the
// merged arrival rate is the scenario's, and the merged result gates against a baseline of the
// unsharded scenario (its configuration is the whole scenario's, not a shard's).
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate_command.hpp"
#include "loadgate/result_files.hpp"
#include "sim_process.hpp"
#include "test_client.hpp"

namespace {

namespace fs = std::filesystem;
using loadgate::test_support::run_command;

constexpr double rate = 150;
constexpr int seconds = 4;

fs::path write_scenario(const fs::path& dir) {
  const nlohmann::json scenario = {
      {"name", "sharded"},
      {"load", {{"model", "open"}, {"rate", rate}}},
      {"duration_s", seconds},
      {"tasks",
       {{{"type", "lorax.generate"},
         {"name", "generate"},
         {"max_new_tokens", 8},
         {"adapters", {{"type", "zipf"}, {"s", 1.1}, {"catalogue", LORAX_SIM_CATALOGUE}}}}}}};
  const auto file = dir / "scenario.json";
  std::ofstream{file} << scenario.dump(1);
  return file;
}

using loadgate::test_support::only_run_folder;
using loadgate::test_support::run_loadgate;

TEST(Shards, ThreeProcessesWithASharedStartMergeIntoTheWholeRun) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const fs::path dir = sim_test::make_temp_dir("loadgate-shards");
  const auto scenario = write_scenario(dir);
  const std::string url = "http://127.0.0.1:" + std::to_string(sim.port());
  // Far enough ahead for three processes to start on a busy two-core machine (rounded up to a
  // whole second); a shard that still starts late is measured, not failed.
  const auto start_at = std::chrono::ceil<std::chrono::seconds>(
                            (std::chrono::system_clock::now() + std::chrono::seconds{4}).time_since_epoch())
                            .count();

  // All three at once, each to its own folder, as three pods or CI jobs would.
  std::string together;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = std::to_string(i);
    together += "(" + loadgate::test_support::loadgate_invocation() + " run " + url + " --scenario " + scenario.string() + " --shard " + shard +
                "/3 --start-at " + std::to_string(start_at) + " --quiet --out " + (dir / ("shard" + shard)).string() +
                " > " + (dir / ("shard" + shard + ".log")).string() + " 2>&1; echo $? > " +
                (dir / ("rc" + shard)).string() + ") & ";
  }
  ASSERT_EQ(run_command("bash -c '" + together + "wait'").exit_code, 0);

  std::vector<loadgate::result> shards;
  std::string folders;
  for (int i = 1; i <= 3; ++i) {
    const auto name = std::to_string(i);
    std::ifstream rc{dir / ("rc" + name)};
    int code = -1;
    rc >> code;
    std::ifstream log_file{dir / ("shard" + name + ".log")};
    const std::string log{std::istreambuf_iterator<char>{log_file}, {}};
    ASSERT_EQ(code, 0) << log;
    EXPECT_NE(log.find("shard " + name + "/3 began"), std::string::npos) << "each shard says how late it began:\n" << log;
    const auto folder = only_run_folder(dir / ("shard" + name));
    shards.push_back(loadgate::read_result(folder / "result.json"));
    folders += " " + folder.string();
  }

  const auto merged_run = run_loadgate("merge" + folders + " --out " + (dir / "merged").string());
  ASSERT_EQ(merged_run.exit_code, 0) << merged_run.output;
  EXPECT_NE(merged_run.output.find("3 shards merged"), std::string::npos) << merged_run.output;
  const auto merged_folder = only_run_folder(dir / "merged");
  const auto merged = loadgate::read_result(merged_folder / "result.json");

  // Counts: the shards' sum, and what the server itself received.
  std::uint64_t sum = 0;
  for (const auto& s : shards) sum += s.total().count();
  EXPECT_EQ(merged.total().count(), sum);
  const auto metrics = sim_test::get(sim.port(), "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(static_cast<double>(merged.total().count()), sim_test::metric_value(metrics.body, "lorax_request_count"));
  EXPECT_EQ(merged.info.shards, 3u);
  ASSERT_EQ(merged.info.shard_starts.size(), 3u) << "the merged result keeps every shard's skew";
  EXPECT_EQ(merged.info.shared_start_unix_ms, start_at * 1000);

  // Percentiles: those of one histogram holding every shard's samples, not an average of the
  // shards' percentiles.
  loadgate::histogram all;
  for (const auto& s : shards) s.total().latency().for_each_bucket([&](std::int64_t v, std::uint64_t n) { all.record(v, n); });
  for (double p : {50.0, 90.0, 95.0, 99.0, 99.9})
    EXPECT_EQ(merged.total().latency().value_at_percentile(p), all.value_at_percentile(p)) << "p" << p;

  // Rate: every arrival of the schedule was sent, once, by one shard.
  const double sent = static_cast<double>(merged.total().count() + merged.info.dropped_arrivals);
  EXPECT_NEAR(sent / seconds, rate, 0.02 * rate);
  // Every shard counted its windows from the one shared instant.
  for (const auto& s : shards) EXPECT_EQ(s.info.started_unix_ms, start_at * 1000);

  // Gated once, against a baseline of the unsharded scenario: the configuration matches (not stale).
  const auto whole =
      run_loadgate("run " + url + " --scenario " + scenario.string() + " --quiet --out " + (dir / "whole").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  const auto baseline = dir / "baseline.json";
  const auto recorded = run_loadgate("baseline record " + baseline.string() + " " + only_run_folder(dir / "whole").string());
  ASSERT_EQ(recorded.exit_code, 0) << recorded.output;
  const auto gated = run_loadgate("gate --baseline " + baseline.string() + " " + merged_folder.string());
  EXPECT_TRUE(gated.exit_code == 0 || gated.exit_code == 1 || gated.exit_code == 4)
      << "a verdict, not stale (5), missing (6) or refused (2):\n" << gated.output;
  EXPECT_TRUE(fs::exists(merged_folder / "gate.json"));
  fs::remove_all(dir);
}

}  // namespace
