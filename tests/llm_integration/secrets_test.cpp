// Secrets stay secret: every command that sends load or reads what a run left (run, report,
// compare, gate, merge, baseline record/show/diff, matrix, capacity) runs with an API token from
// the environment and an Authorization header given by flag, and no output, log, file or error
// message holds either.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "file_text.hpp"
#include "loadgate_command.hpp"
#include "sim_process.hpp"

namespace {

namespace fs = std::filesystem;
using loadgate::test_support::file_text;
using loadgate::test_support::only_run_folder;
using loadgate::test_support::run_loadgate;

// Not LOADGATE_*: the tests run the command without those (loadgate_command.hpp).
constexpr const char* token_variable = "LG_SECRETS_TEST_TOKEN";
const std::string env_token = "tok-from-env-5c1e7d";
const std::string flag_token = "tok-from-flag-9a2b44";

struct Secrets : testing::Test {
  fs::path dir = sim_test::make_temp_dir("loadgate-secrets");
  sim_test::sim_process sim{{"--time-scale", "0.05"}};
  std::string url = "http://127.0.0.1:" + std::to_string(sim.port());
  std::vector<std::string> outputs;  // everything the commands printed

  void SetUp() override { ::setenv(token_variable, env_token.c_str(), 1); }
  void TearDown() override {
    ::unsetenv(token_variable);
    fs::remove_all(dir);
  }

  // `loadgate ARGS`, which must exit with one of `allowed`; its output is kept for the search.
  void command(const std::string& args, const std::vector<int>& allowed = {0}) {
    const auto o = run_loadgate(args);
    outputs.push_back(o.output);
    EXPECT_THAT(allowed, testing::Contains(o.exit_code)) << "loadgate " << args << "\n" << o.output;
  }

  fs::path scenario_file(double seconds) const {
    const auto file = dir / ("scenario-" + std::to_string(seconds) + ".json");
    std::ofstream{file} << R"({"name": "secret", "duration_s": )" << seconds << R"(, "grace_s": 1,
      "load": {"model": "closed", "users": 2},
      "tasks": [{"type": "lorax.generate", "name": "generate", "max_new_tokens": 2, "api_token_env": ")"
                        << token_variable << R"("}]})";
    return file;
  }
};

}  // namespace

TEST_F(Secrets, NoCommandWritesOrPrintsTheTokens) {
  const auto scenario = scenario_file(0.5).string();
  const std::string by_flag = "--method POST --path /generate --body '{\"inputs\":\"hi\",\"parameters\":"
                              "{\"max_new_tokens\":2}}' --header 'Authorization: Bearer " + flag_token +
                              "' --header 'X-Api-Key: " + flag_token + "' --users 2 --duration 500ms --quiet";
  // Runs with the token from the environment, and with it as headers given by flag.
  command("run " + url + " --scenario " + scenario + " --quiet --out " + (dir / "env").string());
  command("run " + url + " " + by_flag + " --out " + (dir / "flag-a").string());
  command("run " + url + " " + by_flag + " --out " + (dir / "flag-b").string());
  for (const auto* shard : {"1/2", "2/2"})
    command("run " + url + " " + by_flag + " --shard " + shard + " --out " + (dir / "shards").string());
  const auto env_run = only_run_folder(dir / "env").string();
  const auto flag_a = only_run_folder(dir / "flag-a").string();
  const auto flag_b = only_run_folder(dir / "flag-b").string();

  // Everything that reads what the runs left.
  std::string shards;
  for (const auto& entry : fs::directory_iterator{dir / "shards"}) shards += " " + entry.path().string();
  command("merge" + shards + " --out " + (dir / "merged").string());
  command("report " + flag_a);
  command("compare " + flag_a + " " + flag_b);
  command("baseline record " + (dir / "flag.json").string() + " " + flag_a);
  command("baseline record " + (dir / "env.json").string() + " " + env_run);
  command("baseline show " + (dir / "flag.json").string());
  command("baseline show --scenario " + (dir / "flag.json").string());
  command("baseline diff " + (dir / "env.json").string() + " " + (dir / "flag.json").string());
  command("gate --baseline " + (dir / "flag.json").string() + " " + flag_b, {0, 1, 4});  // any verdict
  command("matrix " + url + " --scenario " + scenario + " --axis users=1,2 --quiet --out " + (dir / "matrix").string());
  command("capacity " + url + " --scenario " + scenario + " --slo 'p95<5s' --max-points 2 --quiet --out " +
          (dir / "capacity").string());
  // Errors: a stale gate (its configuration diff), and a scenario printed from a baseline, whose
  // redacted header is refused rather than sent.
  command("gate --baseline " + (dir / "env.json").string() + " " + flag_b, {5});
  std::ofstream{dir / "printed.json"} << run_loadgate("baseline show --scenario " + (dir / "flag.json").string(),
                                                      loadgate::test_support::with_stderr::no)
                                             .output;
  command("run " + url + " --scenario " + (dir / "printed.json").string() + " --quiet --out " + (dir / "printed").string(), {2});
  EXPECT_THAT(outputs.back(), testing::HasSubstr("recorded configurations never keep secrets"));

  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator{dir}) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const auto text = file_text(entry.path());
    EXPECT_EQ(text.find(env_token), std::string::npos) << entry.path();
    EXPECT_EQ(text.find(flag_token), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 50u) << "the runs' folders, reports, CSVs, baselines, matrix and capacity files";
  for (const auto& output : outputs) {
    EXPECT_EQ(output.find(env_token), std::string::npos) << output;
    EXPECT_EQ(output.find(flag_token), std::string::npos) << output;
  }
  // And the redaction is visible where the headers were recorded.
  EXPECT_THAT(file_text(fs::path{flag_a} / "result.json"), testing::HasSubstr("\"Authorization\": \"<redacted>\""));
}
