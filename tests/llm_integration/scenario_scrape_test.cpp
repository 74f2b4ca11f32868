// A GoogleTest scenario reads the server's metrics as `loadgate run` does (issue 14): by default
// the target's /metrics, into every run's windows and its evidence (result.json, the summary, the
// report), where an SLO on a scraped metric is checked; LOADGATE_SCRAPE turns it off or names
// another URL, LOADGATE_SCRAPE_SERIES keeps more series.
#include <stdlib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "loadgate/gate/matchers.hpp"
#include "loadgate/gtest.hpp"
#include "loadgate/llm/generate.hpp"
#include "sim_process.hpp"
#include "temp_path.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using loadgate::server_metric;
using loadgate::statistic;
using loadgate::test_support::file_text;
using testing::HasSubstr;

class ScenarioScrape : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = loadgate::test_support::temp_path("scenario-scrape");
    fs::remove_all(dir_);
    // A gated run records its baseline (one run) in a folder of the test's own, wherever CI is.
    ::setenv("LOADGATE_BASELINE_DIR", (dir_ / "baselines").c_str(), 1);
    ::setenv("LOADGATE_RUNS_DIR", (dir_ / "runs").c_str(), 1);
    ::setenv("LOADGATE_UPDATE_BASELINES", "1", 1);
    for (const char* name : {"LOADGATE_SCRAPE", "LOADGATE_SCRAPE_SERIES", "LOADGATE_DIALECT", "LOADGATE_PROFILE"})
      ::unsetenv(name);
  }
  void TearDown() override {
    for (const char* name : {"LOADGATE_BASELINE_DIR", "LOADGATE_RUNS_DIR", "LOADGATE_UPDATE_BASELINES",
                             "LOADGATE_SCRAPE", "LOADGATE_SCRAPE_SERIES"})
      ::unsetenv(name);
    fs::remove_all(dir_);
  }

  static loadgate::scenario streams(const std::string& name) {
    return loadgate::scenario{name}.users(4).spawn_rate(4).duration(3s).grace(2s).task(
        loadgate::llm::generate_stream({.max_new_tokens = 16}));
  }
  static loadgate::gated_run_options one_run() {
    return loadgate::gated_run_options{}.gate(loadgate::gate_options{}.max_runs(1));
  }

  fs::path dir_;
};

TEST_F(ScenarioScrape, ByDefaultTheTargetsMetricsJoinTheRunAndAnSloReadsThem) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  ::setenv("LOADGATE_SCRAPE_SERIES", "lorax_request_count", 1);
  const auto outcome = loadgate::gated_run(streams("scraped"), loadgate::target::parse(sim.url()), one_run());
  ASSERT_TRUE(outcome.ran()) << outcome.message;
  const auto& r = outcome.runs.back();
  EXPECT_EQ(r.info.scrape_url, sim.url() + "/metrics");
  EXPECT_GE(r.info.scrapes, 3u) << "every second of a 3-s run";
  EXPECT_EQ(r.info.scrape_failures, 0u);
  double most_running = 0;
  double requests_counted = 0;
  for (const auto& w : r.series.windows()) {
    if (const auto it = w.server.find("running_batch"); it != w.server.end()) most_running = std::max(most_running, it->second);
    if (const auto it = w.server.find("lorax_request_count"); it != w.server.end()) requests_counted = it->second;
  }
  EXPECT_GE(most_running, 1.0) << "4 users streaming: the server's batch ran";
  EXPECT_GT(requests_counted, 0.0) << "the series named in LOADGATE_SCRAPE_SERIES is kept";

  // An SLO on a scraped metric passes and fails when it should, and joins the evidence.
  EXPECT_THAT(outcome, loadgate::meets(server_metric("running_batch", statistic::maximum) <= 4.0));
  testing::StringMatchResultListener why;
  EXPECT_FALSE(testing::ExplainMatchResult(loadgate::meets(server_metric("running_batch", statistic::maximum) < 1.0),
                                           outcome, &why));
  EXPECT_THAT(why.str(), HasSubstr("max server.running_batch"));

  ASSERT_FALSE(outcome.evidence.empty());
  const auto result = nlohmann::json::parse(file_text(outcome.evidence / "result.json"));
  EXPECT_EQ(result.at("run").at("scrape").at("url"), sim.url() + "/metrics");
  EXPECT_THAT(file_text(outcome.evidence / "summary.md"), HasSubstr("running\\_batch"));  // Markdown-escaped
  EXPECT_THAT(file_text(outcome.evidence / "report.html"), HasSubstr("Server: running_batch"));
  EXPECT_THAT(file_text(outcome.evidence / "gate.json"), HasSubstr("server.running_batch"));
}

TEST_F(ScenarioScrape, OffScrapesNothingAndABadChoiceSaysWhichVariable) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const auto service = loadgate::target::parse(sim.url());
  ::setenv("LOADGATE_SCRAPE", "off", 1);
  const auto quiet = loadgate::gated_run(streams("unscraped"), service, one_run());
  ASSERT_TRUE(quiet.ran()) << quiet.message;
  EXPECT_EQ(quiet.runs.back().info.scrape_url, "");
  EXPECT_EQ(quiet.runs.back().info.scrapes, 0u);

  ::setenv("LOADGATE_SCRAPE_SERIES", "kube_deployment_status_replicas", 1);
  try {
    (void)loadgate::gated_run(streams("contradicted"), service, one_run());
    ADD_FAILURE() << "series to keep with the scrape off is a contradiction";
  } catch (const loadgate::configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_SCRAPE_SERIES needs the server's metrics: drop LOADGATE_SCRAPE=off"));
  }
  ::unsetenv("LOADGATE_SCRAPE_SERIES");
  ::setenv("LOADGATE_SCRAPE", "not a url", 1);
  try {
    (void)loadgate::gated_run(streams("misnamed"), service, one_run());
    ADD_FAILURE() << "a metrics URL that is not one is refused";
  } catch (const loadgate::configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_SCRAPE=not a url: "));
  }
}

// The variables are the whole suite's: series kept for its LLM scenarios send a plain HTTP
// scenario's target no /metrics request, and a list is read as people write it.
TEST_F(ScenarioScrape, SuiteWideSeriesLeaveAPlainHttpScenarioAlone) {
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  const auto service = loadgate::target::parse(sim.url());
  ::setenv("LOADGATE_SCRAPE_SERIES", " lorax_request_count , ,kube_deployment_status_replicas", 1);
  const auto plain = loadgate::scenario{"plain"}.users(2).duration(1s).task(loadgate::http_task("health", "GET", "/health"));
  const auto unscraped = loadgate::gated_run(plain, service, one_run());
  ASSERT_TRUE(unscraped.ran()) << unscraped.message;
  EXPECT_EQ(unscraped.runs.back().info.scrape_url, "");
  const auto scraped = loadgate::gated_run(streams("listed"), service, one_run());
  ASSERT_TRUE(scraped.ran()) << scraped.message;
  bool kept = false;
  for (const auto& w : scraped.runs.back().series.windows()) kept = kept || w.server.contains("lorax_request_count");
  EXPECT_TRUE(kept) << "' lorax_request_count ' is the series lorax_request_count";
}

}  // namespace
