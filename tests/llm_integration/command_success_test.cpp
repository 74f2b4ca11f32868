// The `loadgate` command's success paths as a user takes them against the simulator: `run` (exit
// 0 with failed requests counted as data, the folder it writes, flags over a scenario file),
// `report`, `merge`, `baseline show` and `baseline diff`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate_command.hpp"
#include "sim_process.hpp"

namespace {

namespace fs = std::filesystem;
using loadgate::test_support::file_text;
using loadgate::test_support::only_run_folder;
using loadgate::test_support::run_loadgate;
using testing::HasSubstr;

std::set<std::string> names_in(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator{folder}) names.insert(entry.path().filename().string());
  return names;
}

struct CommandSuccess : testing::Test {
  fs::path dir = sim_test::make_temp_dir("loadgate-command-success");
  sim_test::sim_process sim{{"--time-scale", "0.05", "--error-rate", "validation=0.25", "--seed", "3"}};
  std::string url = "http://127.0.0.1:" + std::to_string(sim.port());
  void TearDown() override { fs::remove_all(dir); }

  fs::path scenario_file() const {
    const auto file = dir / "scenario.json";
    std::ofstream{file} << R"({"name": "from-file", "duration_s": 30, "grace_s": 2, "seed": 5,
      "load": {"model": "closed", "users": 2},
      "tasks": [{"type": "lorax.generate", "name": "generate", "max_new_tokens": 4}]})";
    return file;
  }
};

}  // namespace

TEST_F(CommandSuccess, RunCountsFailedRequestsAsDataExitsZeroAndWritesTheWholeFolder) {
  const auto ran = run_loadgate("run " + url + " --scenario " + scenario_file().string() +
                                " --duration 1s --quiet --out " + (dir / "out").string());
  ASSERT_EQ(ran.exit_code, 0) << "failed requests are data, not an error:\n" << ran.output;
  const auto folder = only_run_folder(dir / "out");
  EXPECT_THAT(folder.filename().string(), testing::EndsWith("-from-file"));
  EXPECT_THAT(ran.output, HasSubstr("result: " + (folder / "result.json").string()));
  EXPECT_EQ(names_in(folder), (std::set<std::string>{"result.json", "summary.md", "report.html", "loadgate_stats.csv",
                                                     "loadgate_stats_history.csv", "loadgate_failures.csv",
                                                     "loadgate_exceptions.csv", "loadgate_llm.csv",
                                                     "loadgate_adapters.csv"}));
  const auto r = loadgate::read_result(folder / "result.json");
  const auto total = r.total();
  EXPECT_GT(total.successes(), 0u);
  EXPECT_GT(total.failures(), 0u) << "the simulator failed a quarter as validation errors";
  EXPECT_EQ(total.failures(), total.failures(loadgate::failure_kind::http_4xx)) << "filed as what they are: 422s";
  EXPECT_THAT(file_text(folder / "loadgate_failures.csv"), HasSubstr("generate"));

  // A second run never overwrites the first.
  const auto again = run_loadgate("run " + url + " --scenario " + scenario_file().string() +
                                  " --duration 300ms --quiet --out " + (dir / "out").string());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(names_in(dir / "out").size(), 2u);
  EXPECT_EQ(loadgate::read_result(folder / "result.json"), r) << "the first run's result is untouched";
}

TEST_F(CommandSuccess, FlagsOverrideTheScenarioFileAndTheRestKeepsItsValues) {
  const auto ran = run_loadgate("run " + url + " --scenario " + scenario_file().string() +
                                " --users 3 --duration 500ms --name flagged --quiet --out " + (dir / "out").string());
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto r = loadgate::read_result(only_run_folder(dir / "out") / "result.json");
  EXPECT_EQ(r.info.scenario, "flagged");
  EXPECT_EQ(r.info.peak_users, 3u) << "--users over the file's 2";
  EXPECT_EQ(r.info.planned_duration, std::chrono::milliseconds{500}) << "--duration over the file's 30 s";
  EXPECT_EQ(r.info.seed, 5u) << "the file's seed, no flag given";
  const auto configuration = nlohmann::json::parse(r.info.configuration);
  EXPECT_EQ(configuration.at("scenario").at("grace_s"), 2.0) << "the file's grace";
  EXPECT_EQ(r.request_names(), (std::set<std::string>{"generate"})) << "the file's task";
}

TEST_F(CommandSuccess, ReportWritesEveryFileAgainFromTheResult) {
  ASSERT_EQ(run_loadgate("run " + url + " --scenario " + scenario_file().string() + " --duration 500ms --quiet --out " +
                         (dir / "out").string())
                .exit_code,
            0);
  const auto folder = only_run_folder(dir / "out");
  const auto summary = file_text(folder / "summary.md");
  const auto stats = file_text(folder / "loadgate_stats.csv");
  for (const auto& name : names_in(folder))
    if (name != "result.json") fs::remove(folder / name);

  const auto reported = run_loadgate("report " + folder.string());
  ASSERT_EQ(reported.exit_code, 0) << reported.output;
  EXPECT_TRUE(fs::exists(folder / "report.html"));
  EXPECT_TRUE(fs::exists(folder / "loadgate_llm.csv"));
  EXPECT_EQ(file_text(folder / "summary.md"), summary) << "the same result gives the same report";
  EXPECT_EQ(file_text(folder / "loadgate_stats.csv"), stats);
}

TEST_F(CommandSuccess, MergeOfTwoShardsHoldsEveryRequestOfBoth) {
  for (const auto* shard : {"1/2", "2/2"})
    ASSERT_EQ(run_loadgate("run " + url + " --scenario " + scenario_file().string() + " --duration 500ms --shard " +
                           shard + " --quiet --out " + (dir / "shards").string())
                  .exit_code,
              0);
  std::vector<loadgate::result> shards;
  std::string folders;
  for (const auto& entry : fs::directory_iterator{dir / "shards"}) {
    shards.push_back(loadgate::read_result(entry.path() / "result.json"));
    folders += " " + entry.path().string();
  }
  const auto merged = run_loadgate("merge" + folders + " --out " + (dir / "merged").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  const auto r = loadgate::read_result(only_run_folder(dir / "merged") / "result.json");
  EXPECT_EQ(r.info.shards, 2u);
  EXPECT_EQ(r.total().count(), shards[0].total().count() + shards[1].total().count());
  EXPECT_EQ(r.total().failures(), shards[0].total().failures() + shards[1].total().failures());
  EXPECT_EQ(r.info.peak_users, 2u) << "one user in each shard";
}

TEST_F(CommandSuccess, BaselineShowAndDiffSayWhatARecordingHoldsAndWhatChanged) {
  for (const auto* users : {"2", "3"}) {
    const auto out = dir / (std::string{"users-"} + users);
    ASSERT_EQ(run_loadgate("run " + url + " --scenario " + scenario_file().string() + " --users " + users +
                           " --duration 500ms --quiet --out " + out.string())
                  .exit_code,
              0);
    const auto recorded = run_loadgate("baseline record " + (dir / (std::string{users} + ".json")).string() + " " +
                                       only_run_folder(out).string());
    ASSERT_EQ(recorded.exit_code, 0) << recorded.output;
  }
  const auto shown = run_loadgate("baseline show " + (dir / "2.json").string(), loadgate::test_support::with_stderr::no);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_THAT(shown.output, HasSubstr((dir / "2.json").string()));
  EXPECT_THAT(shown.output, HasSubstr("from-file"));
  EXPECT_THAT(shown.output, HasSubstr("p95"));

  const auto diffed = run_loadgate("baseline diff " + (dir / "2.json").string() + " " + (dir / "3.json").string(),
                                   loadgate::test_support::with_stderr::no);
  ASSERT_EQ(diffed.exit_code, 0) << diffed.output;
  EXPECT_THAT(diffed.output, HasSubstr("configuration changed"));
  EXPECT_THAT(diffed.output, HasSubstr("scenario.load.users: 2 → 3"));
  const auto same = run_loadgate("baseline diff " + (dir / "2.json").string() + " " + (dir / "2.json").string(),
                                 loadgate::test_support::with_stderr::no);
  EXPECT_THAT(same.output, HasSubstr("same configuration"));
}
