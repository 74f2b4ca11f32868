#include "loadgate/result.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// One shard's result: `scale` sets its latencies and counts apart from the other shard's.
result shard(std::int64_t scale, std::size_t windows) {
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
    r.requests["generate"].record_success(latency, latency / 2);
    auto& w = r.series.window(static_cast<std::size_t>(i % static_cast<std::int64_t>(windows)));
    ++w.requests;
    w.latency.record(latency);
  }
  r.requests["generate_stream"].record_success(80ms, 80ms);
  r.requests["generate_stream"].record_failure(failure_kind::stream_error);
  return r;
}

TEST(Result, TotalMergesAllNames) {
  const auto r = shard(1, 5);
  const auto total = r.total();
  EXPECT_EQ(total.count(), 52u);
  EXPECT_EQ(total.successes(), 51u);
  EXPECT_EQ(total.failures(failure_kind::stream_error), 1u);
  EXPECT_EQ(total.latency().max(), 80'000);
}

TEST(Result, RequestsPerSecondIsCompletedOverMeasuredDuration) {
  auto r = shard(1, 5);
  r.info.measured_duration = 2s;
  EXPECT_DOUBLE_EQ(r.requests_per_second(), 52.0 / 2.0);
  r.info.measured_duration = 0s;
  EXPECT_EQ(r.requests_per_second(), 0.0);
}

TEST(Result, JsonRoundTripIsLossless) {
  const auto r = shard(2, 7);
  const json j = r;
  EXPECT_EQ(j.at("schema"), "loadgate.result");
  EXPECT_EQ(j.at("schema_version"), 1);
  EXPECT_EQ(j.at("run").at("model"), "open");
  EXPECT_DOUBLE_EQ(j.at("run").at("planned_duration_ms").get<double>(), 60'000.0);
  EXPECT_EQ(json::parse(j.dump()).get<result>(), r);  // including the 123 ns
  EXPECT_EQ(json(result{}).get<result>(), result{});
}

TEST(Result, UnknownSchemaVersionIsRejectedNamingTheSupportedOne) {
  json j = shard(1, 2);
  j["schema_version"] = 2;
  EXPECT_THAT([&] { (void)j.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("schema_version 2 is not supported: this loadgate reads schema_version 1")));
  j = shard(1, 2);
  j["schema"] = "k6.summary";
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("expected \"loadgate.result\"")));
  j = shard(1, 2);
  j["run"]["model"] = "hybrid";
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("'model' must be")));
  j = shard(1, 2);
  j["run"]["measured_duration_ms"] = -1;
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("measured_duration_ms")));
  j = shard(1, 2);
  j["requests"]["generate"].erase("successes");
  EXPECT_THAT([&] { (void)j.get<result>(); }, ThrowsMessage<configuration_error>(HasSubstr("missing field 'successes'")));
}

TEST(Result, MergeOfShardsAddsCountsAndTakesTheLongestDurations) {
  const auto a = shard(1, 3);
  const auto b = shard(2, 5);
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

  auto generate = a.requests.at("generate");
  generate.merge(b.requests.at("generate"));
  EXPECT_EQ(merged.requests.at("generate"), generate);
  EXPECT_EQ(merged.requests.at("generate").count(), 150u);
  EXPECT_EQ(merged.requests.at("generate_stream").failures(), 2u);

  ASSERT_EQ(merged.series.windows().size(), 5u);
  EXPECT_EQ(merged.series.windows()[1].requests, a.series.windows()[1].requests + b.series.windows()[1].requests);
  EXPECT_EQ(merged.series.windows()[4], b.series.windows()[4]);
}

TEST(Result, MergeIntoAnEmptyResultIsACopy) {
  const auto a = shard(1, 3);
  result r;
  r.merge(a);
  EXPECT_EQ(r, a);
}

TEST(Result, MergingDifferentScenariosIsAnError) {
  auto a = shard(1, 3);
  auto b = shard(1, 3);
  b.info.scenario = "spike";
  EXPECT_THAT([&] { a.merge(b); }, ThrowsMessage<configuration_error>(HasSubstr("different scenarios")));
  b.info.scenario = a.info.scenario;
  b.info.model = load_model::closed;
  EXPECT_THAT([&] { a.merge(b); }, ThrowsMessage<configuration_error>(HasSubstr("closed-model and an open-model")));
}

}  // namespace
}  // namespace loadgate
