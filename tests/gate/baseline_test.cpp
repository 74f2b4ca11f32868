#include "loadgate/gate/baseline.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "failing_write.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/fingerprint.hpp"
#include "loadgate/gate/gate.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/gate/slo.hpp"
#include "temp_path.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace loadgate;
using testing::HasSubstr;

namespace {

struct Baselines : testing::Test {
  fs::path root = test_support::temp_path("gate-baselines");
  baseline_environment env;

  void SetUp() override {
    fs::remove_all(root);
    env.root = root;
    env.profile = "ci-small";
  }
  void TearDown() override { fs::remove_all(root); }
};

result small_run(int offset_ms) {
  result r;
  r.info.scenario = "steady";
  r.info.planned_duration = 3s;
  r.info.measured_duration = 4s;
  for (int w = 0; w < 4; ++w) {
    for (int i = 1; i <= 20; ++i) {
      observation o;
      o.latency = std::chrono::milliseconds{offset_ms + i};
      o.latency_uncorrected = o.latency;
      r.file("generate", o, std::chrono::seconds{w}, static_cast<std::size_t>(w));
    }
  }
  observation timeout;
  timeout.failure = failure_kind::timeout;
  r.file("generate", timeout, 3s, 3);
  return r;
}

nlohmann::json configuration() { return {{"users", 200}, {"duration_s", 60}, {"tasks", {"generate"}}}; }

baseline make(const baseline_environment& env) {
  return make_baseline("MultiLora.Steady", configuration(), {small_run(100), small_run(110)},
                       {p95(), failure_rate(), throughput()}, env,
                       std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}});
}

}  // namespace

TEST(Fingerprint, IsFnv1aOverTheCanonicalDump) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
  const nlohmann::json a = {{"users", 200}, {"rate", 0}};
  nlohmann::json b;
  b["rate"] = 0;
  b["users"] = 200;
  EXPECT_EQ(fingerprint(a), fingerprint(b)) << "key order does not matter";
  EXPECT_NE(fingerprint(a), fingerprint(nlohmann::json{{"users", 201}, {"rate", 0}}));
  EXPECT_THAT(fingerprint(a), testing::MatchesRegex("fnv1a64:[0-9a-f]{16}"));
}

TEST_F(Baselines, RecordTheMetricsPooledAndPerRepetition) {
  const auto b = make(env);
  EXPECT_EQ(b.created, "2023-11-14T22:13:20Z");
  EXPECT_EQ(b.profile, "ci-small");
  EXPECT_EQ(b.fingerprint, fingerprint(configuration()));
  ASSERT_TRUE(b.metrics.contains("latency.p95"));
  const auto& m = b.metrics.at("latency.p95");
  EXPECT_EQ(m.samples, 160u);
  ASSERT_EQ(m.repetitions.size(), 2u);
  EXPECT_LT(m.repetitions[0], m.repetitions[1]);
  EXPECT_DOUBLE_EQ(b.metrics.at("throughput").value, 162.0 / 8) << "pooled: all requests over all seconds";
}

TEST_F(Baselines, RoundTripThroughTheFileWithIdenticalBytes) {
  auto b = make(env);
  b.git_commit = "0123abc";
  const auto file = baseline_path(env, "MultiLora", "Steady");
  EXPECT_EQ(file, root / "ci-small" / "MultiLora.Steady.json");
  write_baseline(b, file);
  const auto read = read_baseline(file);
  EXPECT_EQ(read, b);
  EXPECT_EQ(to_text(read), to_text(b)) << "reading and writing again changes no byte";
  std::ifstream in{file};
  const std::string text{std::istreambuf_iterator<char>{in}, {}};
  EXPECT_EQ(text, to_text(b));
  // Keys are sorted, so a diff shows what changed and nothing else.
  EXPECT_LT(text.find("\"configuration\""), text.find("\"created\""));
  EXPECT_LT(text.find("\"created\""), text.find("\"fingerprint\""));
  EXPECT_LT(text.find("\"metrics\""), text.find("\"runs\""));
  EXPECT_THAT(text, HasSubstr("\"schema\": \"loadgate.baseline\""));
  EXPECT_THAT(text, testing::EndsWith("\n  \"schema_version\": 2\n}\n"));
  EXPECT_THAT(text, HasSubstr("\"repetitions\": [119039.0,129023.0]")) << "number arrays stay on one line";
  EXPECT_EQ(nlohmann::json::parse(text), nlohmann::json(b));
}

TEST_F(Baselines, AWriteThatFailsHalfwayLeavesTheEarlierBaselineWhole) {
  const auto file = baseline_path(env, "MultiLora", "Steady");
  write_baseline(make(env), file);
  const auto earlier = to_text(read_baseline(file));
  auto bigger = make(env);
  bigger.git_commit = std::string(1 << 20, 'c');  // far past the child's 4 KiB limit
  EXPECT_EQ(test_support::write_with_file_size_limit([&] { write_baseline(bigger, file); }),
            test_support::write_outcome::threw);
  std::ifstream in{file};
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>{in}, {}), earlier) << "a plain write would have truncated it";
  EXPECT_EQ(std::distance(fs::directory_iterator{file.parent_path()}, fs::directory_iterator{}), 1);
}

TEST_F(Baselines, WriteAtomicallyAndLeaveNoTemporaryFile) {
  const auto file = baseline_path(env, "MultiLora", "Steady");
  write_baseline(make(env), file);
  write_baseline(make(env), file);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator{file.parent_path()}) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "MultiLora.Steady.json");
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(Baselines, ParameterisedTestNamesBecomeSafeFileNames) {
  EXPECT_EQ(baseline_path(env, "Matrix/Replicas", "Users/3").filename(), "Matrix_Replicas.Users_3.json");
}

TEST_F(Baselines, RejectAnotherSchemaVersionClearly) {
  auto j = nlohmann::json(make(env));
  j["schema_version"] = 3;
  fs::create_directories(root);
  const auto file = root / "x.json";
  std::ofstream{file} << j.dump();
  try {
    read_baseline(file);
    FAIL() << "read a baseline of schema_version 3";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("x.json"));
    EXPECT_THAT(e.what(), HasSubstr("schema_version 3 is not supported"));
  }
  // A version-1 baseline says what it is and the command that re-records it.
  j["schema_version"] = 1;
  std::ofstream{file} << j.dump();
  try {
    read_baseline(file);
    FAIL() << "read a baseline of schema_version 1";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("version-1 baseline"));
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_UPDATE_BASELINES=1 ctest -L perf -R '^MultiLora\\.Steady$'"));
  }
  std::ofstream{file} << "{ not json";
  EXPECT_THROW(read_baseline(file), configuration_error);
  EXPECT_THROW(read_baseline(root / "absent.json"), configuration_error);
}

TEST_F(Baselines, AMatchingBaselineIsCompared) {
  write_baseline(make(env), baseline_path(env, "MultiLora", "Steady"));
  const auto plan = plan_baseline(env, "MultiLora", "Steady", configuration());
  EXPECT_EQ(plan.action, baseline_action::compare);
  ASSERT_TRUE(plan.existing.has_value());
}

TEST_F(Baselines, AStaleFingerprintFailsAndSaysHowToUpdate) {
  write_baseline(make(env), baseline_path(env, "MultiLora", "Steady"));
  auto changed = configuration();
  changed["users"] = 300;
  const auto plan = plan_baseline(env, "MultiLora", "Steady", changed);
  EXPECT_EQ(plan.action, baseline_action::fail_stale);
  EXPECT_THAT(plan.message, HasSubstr("is stale"));
  EXPECT_THAT(plan.message, HasSubstr("changed: /users"));
  EXPECT_THAT(plan.message, HasSubstr("LOADGATE_UPDATE_BASELINES=1 ctest -L perf -R '^MultiLora\\.Steady$'"));
}

TEST_F(Baselines, AMissingBaselineFailsInCiAndIsCreatedLocally) {
  env.ci = true;
  const auto in_ci = plan_baseline(env, "MultiLora", "Steady", configuration());
  EXPECT_EQ(in_ci.action, baseline_action::fail_missing);
  EXPECT_THAT(in_ci.message, HasSubstr("LOADGATE_UPDATE_BASELINES=1"));
  EXPECT_THAT(in_ci.message, HasSubstr("ci-small"));
  env.ci = false;
  EXPECT_EQ(plan_baseline(env, "MultiLora", "Steady", configuration()).action, baseline_action::create);
  env.update = true;
  EXPECT_EQ(plan_baseline(env, "MultiLora", "Steady", configuration()).action, baseline_action::update);
}

TEST_F(Baselines, UpdateModeOverridesAStaleFingerprint) {
  write_baseline(make(env), baseline_path(env, "MultiLora", "Steady"));
  env.update = true;
  const auto plan = plan_baseline(env, "MultiLora", "Steady", nlohmann::json{{"users", 1}});
  EXPECT_EQ(plan.action, baseline_action::update);
  EXPECT_TRUE(plan.existing.has_value()) << "kept for the old-vs-new table";
}

// The update command is what a version-1 baseline's message recommends, so it must replace one.
TEST_F(Baselines, UpdateModeReplacesABaselineItCannotRead) {
  const auto file = baseline_path(env, "MultiLora", "Steady");
  auto old = nlohmann::json(make(env));
  old["schema_version"] = 1;
  fs::create_directories(file.parent_path());
  std::ofstream{file} << old.dump();
  EXPECT_THROW(plan_baseline(env, "MultiLora", "Steady", configuration()), configuration_error) << "compare refuses it";
  env.update = true;
  const auto plan = plan_baseline(env, "MultiLora", "Steady", configuration());
  EXPECT_EQ(plan.action, baseline_action::update);
  EXPECT_FALSE(plan.existing.has_value());
  EXPECT_THAT(plan.message, HasSubstr("the old one cannot be read ("));
  EXPECT_THAT(plan.message, HasSubstr("this is a version-1 baseline"));
}

TEST_F(Baselines, TheUpdateTableShowsOldNewAndChange) {
  const auto old = make(env);
  auto updated = make_baseline("MultiLora.Steady", configuration(), {small_run(150), small_run(160)},
                               {p95(), failure_rate(), throughput()}, env);
  const auto table = format_baseline_change(&old, updated);
  EXPECT_THAT(table, HasSubstr("metric"));
  EXPECT_THAT(table, testing::MatchesRegex("(.|\n)*p95 latency +1[0-9][0-9]\\.[0-9] ms +1[0-9][0-9]\\.[0-9] ms +\\+[0-9.]+ %(.|\n)*"));
  EXPECT_THAT(table, HasSubstr("failure rate"));
  EXPECT_THAT(format_baseline_change(nullptr, updated), HasSubstr("new"));
}

namespace loadgate {
namespace {

// Pooled repetitions keep their LLM statistics, so an update table shows TTFT, not 0.
TEST(BaselineMerged, PoolsLlmStatisticsOfEveryRun) {
  using namespace std::chrono_literals;
  observation o;
  o.llm = true;
  o.latency = 140ms;
  o.ttft = 40ms;
  o.e2e = 140ms;
  o.output_tokens = 10;
  o.adapter = "a";
  result run;
  run.file("stream", o, 1s, 1);
  baseline b;
  b.runs = {run, run};
  const auto merged = b.merged();
  const auto stream = merged.total({.request = "stream"});
  EXPECT_EQ(stream.of(measure::ttft).count(), 2u);
  EXPECT_EQ(stream.of(measure::ttft).value_at_percentile(95), 40'000);
  // Repetitions are runs one after another: each run's first request to "a" was cold.
  EXPECT_EQ(merged.total({.adapter = "a", .use = adapter_use::cold}).count(), 2u);
}

// An SLO on a scraped metric, checked on a gated run's pooled repetitions, reads every run's
// readings: the runs' windows follow one another.
TEST(BaselineMerged, KeepsEveryRunsServerReadingsOneAfterTheOther) {
  const auto scraped = [](std::vector<double> queue) {
    result r;
    r.info.scrape_url = "http://127.0.0.1:1/metrics";
    r.info.scrapes = queue.size();
    for (const double q : queue) r.series.window(r.series.windows().size()).server["queue_length"] = q;
    return r;
  };
  baseline b;
  b.runs = {scraped({2, 9}), scraped({4})};
  const auto merged = b.merged();
  EXPECT_EQ(merged.series.windows().size(), 3u);
  EXPECT_EQ(merged.info.scrapes, 3u);
  const auto most = check(server_metric("queue_length", statistic::maximum) < 9.0, merged);
  EXPECT_FALSE(most.met) << "the first run's 9 counts";
  EXPECT_EQ(most.actual.samples, 3u);
  EXPECT_DOUBLE_EQ(check(server_metric("queue_length", statistic::mean) < 10.0, merged).actual.value, 5.0);
}

}  // namespace
}  // namespace loadgate

namespace loadgate {
namespace {

// One rule for every yes/no variable: CI=no must not turn CI mode on, and a value that is neither
// yes nor no is refused with the variable's name instead of picking a side.
TEST(BaselineEnvironment, FlagsFollowOneRule) {
  const char* saved = std::getenv("CI");
  const std::string restore = saved ? saved : "";
  for (const char* off : {"no", "0", "false", "OFF", ""}) {
    ::setenv("CI", off, 1);
    EXPECT_FALSE(baseline_environment::from_env().ci) << "CI=" << off;
  }
  for (const char* on : {"yes", "1", "true", "On"}) {
    ::setenv("CI", on, 1);
    EXPECT_TRUE(baseline_environment::from_env().ci) << "CI=" << on;
  }
  ::setenv("CI", "maybe", 1);
  try {
    (void)baseline_environment::from_env();
    ADD_FAILURE() << "CI=maybe was accepted";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("CI=maybe"));
  }
  if (saved) ::setenv("CI", restore.c_str(), 1);
  else ::unsetenv("CI");
}

TEST(BaselineRecording, RefusesAnInterruptedRun) {
  auto stopped = small_run(110);
  stopped.info.interrupted = interruption{"SIGTERM", 20s, false};
  EXPECT_THAT([&] { (void)make_baseline("MultiLora.Steady", configuration(), {small_run(100), stopped}, {p95()}, {}); },
              testing::ThrowsMessage<configuration_error>(HasSubstr("run 2: the run was interrupted by SIGTERM")));
}

}  // namespace
}  // namespace loadgate
