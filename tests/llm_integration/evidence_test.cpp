// The evidence a run leaves, opened as people open it: report.html in headless Chromium with the
// network off, and the Locust-compatible stats read by the same script that reads Locust's own.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate_command.hpp"
#include "sim_process.hpp"
#include "test_server.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::HasSubstr;

using loadgate::test_support::only_run_folder;
using loadgate::test_support::run_loadgate;

// Chromium as a reader opens the file: headless, no network at all (every request goes to a
// proxy that is not there, on top of the page's own policy that forbids any fetch).
std::string chromium(const std::string& arguments, const fs::path& profile) {
  return "timeout 90 chromium --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars "
         "--proxy-server=127.0.0.1:9 --user-data-dir=" + profile.string() + " " + arguments + " 2>/dev/null";
}

void write_scenario(const fs::path& file, const std::string& tasks, double seconds) {
  std::ofstream{file} << R"({"name": "evidence", "load": {"model": "closed", "users": 6,
    "think_time": {"type": "between", "min_ms": 10, "max_ms": 30}}, "duration_s": )" << seconds
                      << R"(, "grace_s": 1, "tasks": [)" << tasks << "]}";
}

struct Evidence : testing::Test {
  fs::path dir = sim_test::make_temp_dir("loadgate-evidence");
  void TearDown() override { fs::remove_all(dir); }
};

}  // namespace

TEST_F(Evidence, TheReportOpensOfflineWithEveryChartHoldingTheRunsPoints) {
  // cmake/setup.sh installs Debian's chromium; Ubuntu has it only as a snap.
  if (loadgate::test_support::run_command("chromium --version >/dev/null 2>&1").exit_code != 0)
    GTEST_SKIP() << "no runnable chromium (Debian: apt-get install chromium)";
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const auto url = "http://127.0.0.1:" + std::to_string(sim.port());
  const std::string adapters = R"("adapters": {"type": "zipf", "s": 1.1, "catalogue": ")" LORAX_SIM_CATALOGUE R"("})";
  write_scenario(dir / "scenario.json",
                 R"({"type": "lorax.generate", "weight": 3, "name": "generate", "max_new_tokens": 16, )" + adapters +
                     R"(}, {"type": "lorax.generate_stream", "weight": 1, "name": "stream", "max_new_tokens": 16, )" +
                     adapters + "}",
                 4);
  // A baseline run, a baseline recorded from it, and a gated run: the report then overlays it.
  for (const auto* name : {"before", "after"}) {
    const auto ran = run_loadgate("run " + url + " --scenario " + (dir / "scenario.json").string() + " --out " +
                                  (dir / name).string() + " --quiet");
    ASSERT_EQ(ran.exit_code, 0) << ran.output;
  }
  const auto before = only_run_folder(dir / "before");
  const auto after = only_run_folder(dir / "after");
  const auto recorded = run_loadgate("baseline record " + (dir / "baseline.json").string() + " " + before.string());
  ASSERT_EQ(recorded.exit_code, 0) << recorded.output;
  const auto gated = run_loadgate("gate --baseline " + (dir / "baseline.json").string() + " " + after.string());
  ASSERT_THAT(gated.exit_code, testing::AnyOf(0, 1, 4)) << gated.output;

  const auto page = "file://" + (after / "report.html").string();
  const auto dom = loadgate::test_support::run_command(
      chromium("--virtual-time-budget=10000 --dump-dom " + page, dir / "profile"));
  std::smatch found;
  ASSERT_TRUE(std::regex_search(dom.output, found, std::regex{"<pre id=\"loadgate-check\"[^>]*>([^<]*)</pre>"}))
      << "the page's script did not run\n" << dom.output.substr(0, 2000);
  const auto check = json::parse(found[1].str());
  EXPECT_EQ(check.at("errors"), json::array()) << "no console error, nothing blocked";
  const auto& charts = check.at("charts");
  std::vector<std::string> ids;
  for (const auto& expected : check.at("expected")) {
    const auto id = expected.at("id").get<std::string>();
    ids.push_back(id);
    ASSERT_TRUE(charts.contains(id)) << id << " was not drawn";
    EXPECT_EQ(charts.at(id).at("points"), expected.at("points")) << id << " holds every point the page embeds";
  }
  EXPECT_THAT(ids, testing::IsSupersetOf({"users", "throughput", "latency", "failures", "latency_distribution",
                                          "ttft_distribution", "adapter_latency", "time_breakdown"}));
  // ... and those are the run's: a point per second of it on every timeline, a point per plotted
  // percentile (0 % to 99.999 %) on every distribution; the baseline is overlaid.
  const auto r = json::parse(std::ifstream{after / "result.json"});
  const auto seconds = r.at("series").at("windows").size();
  ASSERT_GT(seconds, 3u);
  for (const auto* id : {"users", "throughput", "latency", "failures", "time_breakdown"})
    EXPECT_EQ(charts.at(id).at("points"), seconds) << id;
  for (const auto* id : {"latency_distribution", "ttft_distribution", "adapter_latency"})
    EXPECT_EQ(charts.at(id).at("points"), 12) << id;
  EXPECT_THAT(charts.at("latency").at("labels").get<std::vector<std::string>>(), testing::Contains("baseline p95"));
  EXPECT_THAT(charts.at("latency_distribution").at("labels").get<std::vector<std::string>>(), testing::Contains("baseline"));
  EXPECT_THAT(charts.at("adapter_latency").at("labels").get<std::vector<std::string>>(),
              testing::ElementsAre("percentile", "cold", "warm"));

  // A screenshot for review, kept in the build tree.
  const fs::path screenshot = LOADGATE_BINARY_DIR "/loadgate/report-screenshot.png";
  fs::create_directories(screenshot.parent_path());
  fs::remove(screenshot);
  loadgate::test_support::run_command(
      chromium("--window-size=1280,2400 --screenshot=" + screenshot.string() + " " + page, dir / "profile"));
  ASSERT_TRUE(fs::exists(screenshot));
  EXPECT_GT(fs::file_size(screenshot), 50'000u) << "a page with charts, not a blank one";
}

TEST_F(Evidence, LocustAndLoadgateStatsAreReadByOneScript) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const auto url = "http://127.0.0.1:" + std::to_string(sim.port());
  // The same load through Locust ...
  const auto locust = loadgate::test_support::run_command(
      "cd " + dir.string() + " && timeout 60 /usr/bin/python3 /usr/bin/locust -f " LOADGATE_SOURCE_DIR
      "/tests/llm_integration/locustfile_generate.py --headless -u 6 -r 6 -t 4s --host " + url +
      " --csv " + (dir / "locust").string() + " --only-summary 2>&1");
  ASSERT_TRUE(fs::exists(dir / "locust_stats.csv")) << locust.output;
  // ... and through loadgate.
  write_scenario(dir / "scenario.json", R"({"type": "lorax.generate", "name": "generate", "max_new_tokens": 8})", 4);
  const auto ran = run_loadgate("run " + url + " --scenario " + (dir / "scenario.json").string() + " --out " +
                                (dir / "loadgate").string() + " --quiet");
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto stats = only_run_folder(dir / "loadgate") / "loadgate_stats.csv";

  const auto read = loadgate::test_support::run_command("python3 " LOADGATE_SOURCE_DIR "/tests/report/read_stats_csv.py " +
                                                        (dir / "locust_stats.csv").string() + " " + stats.string() + " 2>&1");
  EXPECT_EQ(read.exit_code, 0) << read.output;
  EXPECT_THAT(read.output, HasSubstr("same header: Type,Name,Request Count"));
  const std::regex line{"requests=([0-9]+) failures=0 rps=[0-9.]+ p95_ms=([0-9.]+) names=generate "};
  std::vector<double> p95;
  for (std::sregex_iterator it{read.output.begin(), read.output.end(), line}, end; it != end; ++it) {
    EXPECT_GT(std::stoi((*it)[1].str()), 50) << read.output;
    p95.push_back(std::stod((*it)[2].str()));
  }
  ASSERT_EQ(p95.size(), 2u) << read.output;
  // The same load on the same server: the same unit and the same order of magnitude (Locust's
  // Python client adds its own time, and rounds to two digits).
  EXPECT_GT(p95[1], p95[0] / 4) << read.output;
  EXPECT_LT(p95[1], p95[0] * 4) << read.output;
}

TEST_F(Evidence, RunSlosAreCheckedKeptAndSetTheExitCode) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  write_scenario(dir / "scenario.json", R"({"type": "lorax.generate", "name": "generate", "max_new_tokens": 8})", 2);
  const auto ran = run_loadgate("run http://127.0.0.1:" + std::to_string(sim.port()) + " --scenario " +
                                (dir / "scenario.json").string() + " --out " + (dir / "runs").string() +
                                " --quiet --slo 'p95[generate]<1us' --slo 'failure_rate<50%'");
  EXPECT_EQ(ran.exit_code, 1) << "an SLO failed\n" << ran.output;
  EXPECT_THAT(ran.output, HasSubstr("SLO FAILED: p95 latency (generate) = "));
  EXPECT_THAT(ran.output, HasSubstr("SLO met: failure rate = 0.00 %"));
  const auto folder = only_run_folder(dir / "runs");
  const auto gate = json::parse(std::ifstream{folder / "gate.json"});
  EXPECT_EQ(gate.at("passed"), false);
  EXPECT_TRUE(gate.at("gate").is_null()) << "no baseline was involved";
  ASSERT_EQ(gate.at("slos").size(), 2u);
  EXPECT_EQ(gate.at("slos").at(0).at("met"), false);
  EXPECT_EQ(gate.at("slos").at(1).at("met"), true);
  std::ifstream md{folder / "summary.md"};
  const std::string summary{std::istreambuf_iterator<char>{md}, {}};
  EXPECT_THAT(summary, HasSubstr("— completed, SLO FAILED"));
  EXPECT_THAT(summary, HasSubstr("| p95 latency (generate) |"));
}

// The server's own metrics during the run: by default the target's /metrics, read every second
// into the windows of result.json, summed up in its summary and printed after the run's tables;
// a named series is kept beside LoRAX's vocabulary. A scrape URL that does not answer is counted,
// and the run goes on.
TEST_F(Evidence, TheServersMetricsAreScrapedIntoTheResultAndTheSummary) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const auto url = "http://127.0.0.1:" + std::to_string(sim.port());
  write_scenario(dir / "scenario.json", R"({"type": "lorax.generate", "name": "generate", "max_new_tokens": 8})", 3);
  const auto ran = run_loadgate("run " + url + " --scenario " + (dir / "scenario.json").string() + " --out " +
                                (dir / "runs").string() + " --quiet --scrape-series lorax_request_count");
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_THAT(ran.output, HasSubstr("server metrics: " + url + "/metrics every 1s"));
  EXPECT_THAT(ran.output, testing::ContainsRegex("server metrics from " + url + "/metrics: [3-5] scrapes, 0 failed"));
  EXPECT_THAT(ran.output, testing::ContainsRegex("\nrunning_batch +[3-6] "));
  const auto result = json::parse(std::ifstream{only_run_folder(dir / "runs") / "result.json"});
  EXPECT_EQ(result.at("run").at("scrape").at("url"), url + "/metrics");
  std::size_t windows_with_readings = 0;
  double last_count = -1;
  for (const auto& window : result.at("series").at("windows")) {
    if (!window.contains("server")) continue;
    ++windows_with_readings;
    const auto& server = window.at("server");
    for (const auto* name : {"queue_length", "running_batch", "batch_max_tokens", "active_adapters", "lorax_request_count"})
      EXPECT_TRUE(server.contains(name)) << name << " in " << server.dump();
    EXPECT_GE(server.at("lorax_request_count").get<double>(), last_count) << "a counter only grows";
    last_count = server.at("lorax_request_count").get<double>();
  }
  EXPECT_GE(windows_with_readings, 3u);
  EXPECT_GT(last_count, 0);
  const auto& summary = result.at("summary").at("server").at("running_batch");
  EXPECT_LE(summary.at("max").get<double>(), 6) << "six users: at most six in the batch";
  EXPECT_GE(summary.at("readings").get<int>(), 3);

  const auto unreachable = run_loadgate("run " + url + " --scenario " + (dir / "scenario.json").string() + " --out " +
                                        (dir / "unreachable").string() + " --quiet --duration 2s --scrape http://127.0.0.1:" +
                                        std::to_string(loadgate::testing::unused_port()) + "/metrics");
  ASSERT_EQ(unreachable.exit_code, 0) << unreachable.output;
  EXPECT_THAT(unreachable.output, testing::ContainsRegex("scrapes, [2-4] failed \\(first: GET http://127.0.0.1:[0-9]+/metrics: "));
  // An SLO on a scraped metric: met, and failed (exit 1) when the limit is below what was read.
  const auto judged = run_loadgate("run " + url + " --scenario " + (dir / "scenario.json").string() + " --out " +
                                   (dir / "judged").string() + " --quiet --duration 2s --slo 'max(server.running_batch)<100' "
                                   "--slo 'max(server.running_batch)<1' --slo 'max(server.kv_cache_usage)<0.9'");
  EXPECT_EQ(judged.exit_code, 1) << judged.output;
  EXPECT_THAT(judged.output, testing::ContainsRegex("SLO met: max server.running_batch = [1-6], limit < 100, [2-4] samples"));
  EXPECT_THAT(judged.output, testing::ContainsRegex("SLO FAILED: max server.running_batch = [1-6], limit < 1, "));
  EXPECT_THAT(judged.output, HasSubstr("SLO FAILED: max server.kv_cache_usage: no samples (no scrape of " + url +
                                       "/metrics read 'kv_cache_usage'), limit < 0.9"))
      << "lorax-sim, as LoRAX, says nothing of its KV cache";
  const auto off = run_loadgate("run " + url + " --scenario " + (dir / "scenario.json").string() + " --out " +
                                (dir / "off").string() + " --quiet --duration 1s --scrape off");
  ASSERT_EQ(off.exit_code, 0) << off.output;
  EXPECT_THAT(off.output, testing::Not(HasSubstr("server metrics")));
}
