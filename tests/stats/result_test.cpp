#include "loadgate/result.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "loadgate/error.hpp"
#include "observations.hpp"

namespace loadgate {
namespace {

using test_support::observed_failure;
using test_support::observed_success;

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// One shard's result: `scale` sets its latencies and counts apart from the other shard's.
result scaled_shard(std::int64_t scale, std::size_t windows) {
  result r;
  r.info.scenario = "steady_mixed_adapters";
  r.info.target = "http://127.0.0.1:8080";
  r.info.model = load_model::open;
  r.info.seed = 42;
  r.info.threads = 2;
  r.info.started_unix_ms = 1'700'000'000'000 + scale;
  r.info.planned_duration = 60s;
  r.info.measured_duration = 61s + std::chrono::milliseconds{scale} + 123ns;
  r.info.peak_users = 10 * static_cast<std::uint64_t>(scale);
  r.info.late_arrivals = 3;
  r.info.dropped_arrivals = 1;
  for (std::int64_t i = 1; i <= 50 * scale; ++i) {
    const auto latency = std::chrono::microseconds{i * 997 * scale};
    const auto window = static_cast<std::size_t>(i % static_cast<std::int64_t>(windows));
    r.file("generate", observed_success(latency, latency / 2), std::chrono::seconds{window}, window);
  }
  r.file("generate_stream", observed_success(80ms, 80ms), 0s, 0);
  auto failed = observed_success(80ms, 80ms);
  failed.failure = failure_kind::stream_error;
  failed.cause = "generation: CUDA out of memory";
  r.file("generate_stream", failed, 0s, 0);
  for (std::size_t w = 0; w < windows; ++w) r.series.window(w).active_users = static_cast<std::uint64_t>(scale);
  return r;
}

const tally_key generate{"generate", {}, adapter_use::none};
const tally_key generate_stream{"generate_stream", {}, adapter_use::none};

TEST(Result, TotalMergesAllNames) {
  const auto r = scaled_shard(1, 5);
  const auto total = r.total();
  EXPECT_EQ(total.count(), 52u);
  EXPECT_EQ(total.successes(), 51u);
  EXPECT_EQ(total.failures(failure_kind::stream_error), 1u);
  EXPECT_EQ(total.latency().max(), 80'000);
  EXPECT_EQ(r.total({.request = "generate"}).count(), 50u);
  EXPECT_EQ(r.request_names(), (std::set<std::string>{"generate", "generate_stream"}));
  EXPECT_TRUE(r.adapters().empty()) << "plain HTTP requests have no adapter";
  EXPECT_TRUE(r.first_sights.empty());
  EXPECT_EQ(r.settled(), r.tallies);
}

TEST(Result, FileGrowsTheSeriesAndFilesIntoTheRunAndTheWindow) {
  result r;
  r.file("home", observed_success(5ms, 4ms), 3500ms, 3);
  ASSERT_EQ(r.series.windows().size(), 4u);
  EXPECT_EQ(r.series.windows()[3].total().count(), 1u);
  EXPECT_EQ(r.series.windows()[0], time_window{});
  EXPECT_EQ(r.tallies.at({"home", {}, adapter_use::none}), r.series.windows()[3].tallies.at({"home", {}, adapter_use::none}));
  const auto windows = r.per_window();
  ASSERT_EQ(windows.size(), 4u);
  EXPECT_EQ(windows[3].count(), 1u);
  EXPECT_TRUE(windows[1].empty());
  EXPECT_TRUE(r.per_window({.request = "other"})[3].empty());
}

TEST(Result, RequestsPerSecondIsCompletedOverMeasuredDuration) {
  auto r = scaled_shard(1, 5);
  r.info.measured_duration = 2s;
  EXPECT_DOUBLE_EQ(r.requests_per_second(), 52.0 / 2.0);
  r.info.measured_duration = 0s;
  EXPECT_EQ(r.requests_per_second(), 0.0);
}

TEST(Result, JsonRoundTripIsLossless) {
  const auto r = scaled_shard(2, 7);
  const json j = r;
  EXPECT_EQ(j.at("schema"), "loadgate.result");
  EXPECT_EQ(j.at("schema_version"), 3);
  EXPECT_EQ(j.at("run").at("model"), "open");
  EXPECT_EQ(j.at("run").at("per_request_slo"), json::object());
  EXPECT_DOUBLE_EQ(j.at("run").at("planned_duration_ms").get<double>(), 60'000.0);
  EXPECT_TRUE(j.at("tallies").is_array());
  EXPECT_EQ(j.at("series").at("windows").size(), 7u);
  EXPECT_EQ(json::parse(j.dump()).get<result>(), r);  // including the 123 ns
  EXPECT_EQ(json(result{}).get<result>(), result{});
}

TEST(Result, ThePerRequestSloRoundTripsAsCanonicalJson) {
  auto r = scaled_shard(1, 2);
  r.info.per_request_slo = R"({"tpot_ms":50.0,"ttft_ms":250.0})";
  const json j = r;
  EXPECT_EQ(j.at("run").at("per_request_slo").at("ttft_ms"), 250.0);
  EXPECT_EQ(json::parse(j.dump()).get<result>(), r);
  auto broken = j;
  broken["run"]["per_request_slo"] = "ttft_ms=250";
  EXPECT_THAT([&] { (void)broken.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("result 'run.per_request_slo': expected an object")));
}

TEST(Result, UnknownSchemaVersionIsRejectedNamingTheSupportedOne) {
  json j = scaled_shard(1, 2);
  j["schema_version"] = 4;
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("schema_version 4 is not supported: this loadgate reads schema_version 2 and 3")));
  j = scaled_shard(1, 2);
  j["schema"] = "k6.summary";
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("expected \"loadgate.result\"")));
  j = scaled_shard(1, 2);
  j["run"]["model"] = "hybrid";
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("'model' must be")));
  j = scaled_shard(1, 2);
  j["run"]["measured_duration_ms"] = -1;
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("measured_duration_ms")));
  j = scaled_shard(1, 2);
  j["tallies"][0]["tally"]["successes"] = 51;
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("the latency histograms must hold 'successes' (51) samples")));
  j = scaled_shard(1, 2);
  j["tallies"][0].erase("request");
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("malformed result 'tallies': missing field 'request'")));
  j = scaled_shard(1, 2);
  j.erase("tallies");
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("missing field 'tallies'")));
  j = scaled_shard(1, 2);
  j["series"]["windows"][1]["tallies"] = json::object();
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("malformed time window 'tallies': expected a list")));
}

// A result file from before the tallies: its windows never kept request names, adapters or LLM
// figures, so it cannot be converted. The message says what to do.
TEST(Result, AVersion1ResultIsRejectedSayingToRunAgain) {
  const auto v1 = json::parse(R"({
    "schema": "loadgate.result", "schema_version": 1,
    "run": {"scenario": "smoke", "target": "http://127.0.0.1:8080", "model": "closed", "seed": 1, "threads": 1,
            "shards": 1, "started_unix_ms": 0, "planned_duration_ms": 1000, "measured_duration_ms": 1000,
            "peak_users": 1, "late_arrivals": 0, "dropped_arrivals": 0},
    "requests": {"home": {"count": 0, "successes": 0, "failures_total": 0}},
    "series": {"window_ms": 1000, "windows": []}})");
  EXPECT_THAT([&] { (void)v1.get<result>(); },
              ThrowsMessage<configuration_error>(::testing::AllOf(HasSubstr("version-1 result"), HasSubstr("schema_version 2"),
                                                                  HasSubstr("cannot be converted"),
                                                                  HasSubstr("run the scenario again"))));
}

TEST(Result, MergeOfShardsAddsCountsAndTakesTheLongestDurations) {
  const auto a = scaled_shard(1, 3);
  const auto b = scaled_shard(2, 5);
  auto merged = a;
  merged.merge(b);

  EXPECT_EQ(merged.info.scenario, a.info.scenario);
  EXPECT_EQ(merged.info.shards, 2u);
  EXPECT_EQ(merged.info.threads, 4u);
  EXPECT_EQ(merged.info.peak_users, 30u);
  EXPECT_EQ(merged.info.late_arrivals, 6u);
  EXPECT_EQ(merged.info.dropped_arrivals, 2u);
  EXPECT_EQ(merged.info.started_unix_ms, a.info.started_unix_ms);
  EXPECT_EQ(merged.info.measured_duration, b.info.measured_duration);
  EXPECT_EQ(merged.info.planned_duration, 60s);

  auto expected = a.tallies.at(generate);
  expected.merge(b.tallies.at(generate));
  EXPECT_EQ(merged.tallies.at(generate), expected);
  EXPECT_EQ(merged.tallies.at(generate).count(), 150u);
  EXPECT_EQ(merged.tallies.at(generate_stream).failures(), 2u);
  EXPECT_EQ(merged.total().count(), a.total().count() + b.total().count());

  ASSERT_EQ(merged.series.windows().size(), 5u);
  const auto& w1 = merged.series.windows()[1];
  EXPECT_EQ(w1.total().count(), a.series.windows()[1].total().count() + b.series.windows()[1].total().count());
  EXPECT_EQ(w1.active_users, 3u);
  auto expected_w1 = a.series.windows()[1].tallies.at(generate);
  expected_w1.merge(b.series.windows()[1].tallies.at(generate));
  EXPECT_EQ(w1.tallies.at(generate), expected_w1) << "windows merge exactly, by key";
  EXPECT_EQ(merged.series.windows()[4], b.series.windows()[4]);
  EXPECT_EQ(merged.per_window()[4], b.per_window()[4]);
  // The run's tallies and the windows' hold the same requests.
  tally windows;
  for (const auto& w : merged.per_window()) windows.merge(w);
  EXPECT_EQ(windows, merged.total());
}

TEST(Result, MergeIntoAnEmptyResultIsACopy) {
  const auto a = scaled_shard(1, 3);
  result r;
  r.merge(a);
  EXPECT_EQ(r, a);
}

TEST(Result, MergingDifferentScenariosIsAnError) {
  auto a = scaled_shard(1, 3);
  auto b = scaled_shard(1, 3);
  b.info.scenario = "spike";
  EXPECT_THAT([&] { a.merge(b); }, ThrowsMessage<configuration_error>(HasSubstr("different scenarios")));
  b.info.scenario = a.info.scenario;
  b.info.model = load_model::closed;
  EXPECT_THAT([&] { a.merge(b); }, ThrowsMessage<configuration_error>(HasSubstr("closed-model and an open-model")));
}

TEST(Result, MergingResultsKeptAgainstDifferentSlosIsAnError) {
  auto a = scaled_shard(1, 3);
  auto b = scaled_shard(1, 3);
  a.info.per_request_slo = R"({"ttft_ms":100.0})";
  b.info.per_request_slo = R"({"ttft_ms":200.0})";
  EXPECT_THAT([&] { a.merge(b); }, ThrowsMessage<configuration_error>(HasSubstr("different per-request SLOs")));
  b.info.per_request_slo = "{}";
  EXPECT_THAT([&] { a.merge(b); }, ThrowsMessage<configuration_error>(HasSubstr("goodput counts would not add up")));
  b.info.per_request_slo = a.info.per_request_slo;
  a.merge(b);
  EXPECT_EQ(a.info.per_request_slo, R"({"ttft_ms":100.0})");
}

TEST(Result, AnInterruptedRunSaysSoAndRoundTrips) {
  auto r = scaled_shard(1, 3);
  EXPECT_EQ(json(r).at("run").at("complete"), true);
  EXPECT_FALSE(json(r).at("run").contains("interruption"));
  r.info.interrupted = interruption{"SIGINT", 3012ms, false};
  const json j = r;
  EXPECT_EQ(j.at("run").at("complete"), false);
  EXPECT_EQ(j.at("run").at("interruption"), (json{{"reason", "SIGINT"}, {"reached_ms", 3012.0}, {"cancelled", false}}));
  EXPECT_EQ(json::parse(j.dump()).get<result>(), r);
  EXPECT_EQ(interruption_text(r.info),
            "interrupted by SIGINT at 3.0 s of 60.0 s; the requests in flight had the grace period to finish");
}

TEST(Result, CompletenessIsReadStrictlyAndAbsentMeansComplete) {
  json j = scaled_shard(1, 3);
  j["run"].erase("complete");  // written before runs could be interrupted
  EXPECT_FALSE(j.get<result>().info.interrupted);
  j["run"]["complete"] = false;
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("an incomplete run must say its 'interruption'")));
  j["run"]["complete"] = "no";
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("'complete' must be true or false")));
  j["run"]["complete"] = true;
  j["run"]["interruption"] = {{"reason", "SIGTERM"}, {"reached_ms", 5.0}, {"cancelled", true}};
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("a complete run has no 'interruption'")));
}

TEST(Result, OneInterruptedShardMakesTheMergeIncompleteWithTheEarliestStop) {
  auto a = scaled_shard(1, 3);
  auto b = scaled_shard(2, 3);
  auto c = scaled_shard(3, 3);
  b.info.interrupted = interruption{"SIGTERM", 9s, false};
  c.info.interrupted = interruption{"SIGINT", 4s, true};
  auto merged = a;
  merged.merge(b);
  EXPECT_EQ(merged.info.interrupted, b.info.interrupted);
  merged.merge(c);
  EXPECT_EQ(merged.info.interrupted, c.info.interrupted);
  auto reversed = c;
  reversed.merge(b);
  EXPECT_EQ(reversed.info.interrupted, c.info.interrupted) << "whatever the order";
}

TEST(Result, RequireJudgeableRefusesAnInterruptedRunNamingIt) {
  auto r = scaled_shard(1, 3);
  EXPECT_NO_THROW(require_judgeable(r, "results/a"));
  r.info.interrupted = interruption{"SIGINT", 3s, true};
  EXPECT_THAT([&] { require_judgeable(r, "results/a"); },
              ThrowsMessage<configuration_error>(AllOf(HasSubstr("results/a: the run was interrupted by SIGINT at 3.0 s"),
                                                       HasSubstr("were cancelled"), HasSubstr("run it again"))));
}

}  // namespace
}  // namespace loadgate
