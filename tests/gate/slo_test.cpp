#include "loadgate/gate/slo.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/matchers.hpp"

using namespace std::chrono_literals;
using namespace loadgate;
using testing::HasSubstr;
using testing::Not;

namespace {

result latencies(int from_ms, int to_ms) {
  result r;
  r.info.measured_duration = 10s;
  for (int i = from_ms; i <= to_ms; ++i) {
    observation o;
    o.latency = std::chrono::milliseconds{i};
    o.latency_uncorrected = 1ms;
    r.file("generate", o, 0s, 0);
  }
  return r;
}

std::string explain(const slo_matcher& m, const result& r, bool& matched) {
  testing::StringMatchResultListener listener;
  matched = testing::ExplainMatchResult(m, r, &listener);
  return listener.str();
}

}  // namespace

TEST(Slo, PassingSlosMatchAndListTheirValues) {
  const auto r = latencies(1, 100);
  EXPECT_THAT(r, meets(p95("generate") < 450ms, failure_rate() < 1_percent, throughput() > 5.0));
  bool matched = false;
  const auto text = explain(meets(p95("generate") < 450ms), r, matched);
  EXPECT_TRUE(matched);
  EXPECT_THAT(text, HasSubstr("p95 latency (generate) = 95.0 ms, limit < 450.0 ms, 100 samples"));
}

TEST(Slo, AFailureShowsMetricActualLimitAndSampleCount) {
  const auto r = latencies(400, 599);
  bool matched = true;
  const auto text = explain(meets(p95("generate") < 450ms, failure_rate() < 1_percent), r, matched);
  EXPECT_FALSE(matched);
  EXPECT_THAT(text, HasSubstr("1 of 2 SLOs failed"));
  EXPECT_THAT(text, HasSubstr("p95 latency (generate) = 589.3 ms, limit < 450.0 ms, 200 samples"));
  EXPECT_THAT(text, Not(HasSubstr("failure rate")));
}

TEST(Slo, AFailureShowsTheBaselineValueWhenGivenOne) {
  baseline b;
  b.runs.push_back(latencies(1, 400));
  bool matched = true;
  const auto text = explain(meets(p95("generate") < 450ms).against(b), latencies(400, 599), matched);
  EXPECT_FALSE(matched);
  EXPECT_THAT(text, HasSubstr("200 samples, baseline 380.2 ms"));
}

TEST(Slo, ZeroSamplesFailInsteadOfPassingVacuously) {
  result empty;
  empty.info.measured_duration = 10s;
  bool matched = true;
  const auto text = explain(meets(p95("generate") < 450ms, failure_rate() < 1_percent), empty, matched);
  EXPECT_FALSE(matched);
  EXPECT_THAT(text, HasSubstr("2 of 2 SLOs failed"));
  EXPECT_THAT(text, HasSubstr("p95 latency (generate): no samples (this result has no request named 'generate')"));
  EXPECT_THAT(text, HasSubstr("failure rate: no samples, limit < 1.00 %"));
  EXPECT_FALSE(check(throughput() > 0.0, empty).met) << "0 req/s over no requests is no evidence either";
  EXPECT_FALSE(check(p95(ttft("generate")) < 1s, latencies(1, 10)).met) << "a family the result lacks";
}

// The open model's plan against what was sent on time: 1000 planned, 7 late, 3 dropped.
result arrivals(std::uint64_t planned, std::uint64_t late, std::uint64_t dropped) {
  auto r = latencies(1, 10);
  r.info.model = load_model::open;
  r.info.planned_arrivals = planned;
  r.info.late_arrivals = late;
  r.info.dropped_arrivals = dropped;
  return r;
}

TEST(Slo, TheAchievedRateIsTheShareOfPlannedArrivalsSentOnTime) {
  const auto exact = check(achieved_rate() >= 99_percent, arrivals(1000, 7, 3));
  EXPECT_TRUE(exact.met) << exact.message();
  EXPECT_DOUBLE_EQ(exact.actual.value, 0.99);
  const auto missed = check(achieved_rate() >= 99_percent, arrivals(1000, 8, 3));
  EXPECT_FALSE(missed.met);
  EXPECT_EQ(missed.message(),
            "achieved arrival rate = 98.90 %, limit >= 99.00 %, 1000 samples (8 late, 3 dropped of 1000 planned)");
  EXPECT_EQ(achieved_rate().key(), "achieved_rate");
  EXPECT_FALSE(achieved_rate().higher_is_worse());
}

TEST(Slo, TheAchievedRateHasNoValueWithoutAPlan) {
  const auto closed = check(achieved_rate() >= 99_percent, latencies(1, 10));
  EXPECT_FALSE(closed.met);
  EXPECT_THAT(closed.message(), HasSubstr("no samples (the achieved arrival rate is the open model's"));
  const auto unrecorded = check(achieved_rate() >= 99_percent, arrivals(0, 0, 0));
  EXPECT_FALSE(unrecorded.met);
  EXPECT_THAT(unrecorded.message(), HasSubstr("no arrivals were planned"));
}

// A metric scraped from the server: its max, mean or min over the readings, one per window;
// no samples (and so a failure) when the run did not scrape it.
TEST(Slo, AServerMetricIsJudgedOnItsReadings) {
  result r;
  r.info.scrape_url = "http://127.0.0.1:8080/metrics";
  for (const double queue : {2.0, 9.0, 4.0}) r.series.window(r.series.windows().size()).server["queue_length"] = queue;
  r.series.window(3);  // a window whose scrape failed: no reading
  const auto met = check(server_metric("queue_length", statistic::maximum) < 10.0, r);
  EXPECT_TRUE(met.met) << met.message();
  EXPECT_EQ(met.message(), "max server.queue_length = 9, limit < 10, 3 samples");
  EXPECT_FALSE(check(server_metric("queue_length", statistic::maximum) < 9.0, r).met);
  EXPECT_DOUBLE_EQ(check(server_metric("queue_length", statistic::mean) < 10.0, r).actual.value, 5.0);
  EXPECT_DOUBLE_EQ(check(server_metric("queue_length", statistic::minimum) >= 2.0, r).actual.value, 2.0);
  const auto absent = check(server_metric("kv_cache_usage", statistic::maximum) < 0.9, r);
  EXPECT_FALSE(absent.met);
  EXPECT_THAT(absent.message(), HasSubstr("no samples (no scrape of http://127.0.0.1:8080/metrics read 'kv_cache_usage')"));
  const auto unscraped = check(server_metric("queue_length", statistic::maximum) < 10.0, latencies(1, 10));
  EXPECT_THAT(unscraped.message(), HasSubstr("this run did not scrape its server's metrics"));
  EXPECT_EQ(server_metric("queue_length", statistic::maximum).key(), "server.queue_length.max");
  EXPECT_THROW(server_metric("queue_length", statistic::maximum) < 10ms, configuration_error);
}

// Against a server that does not say when it loads an adapter (LoRAX), no request is warm: an SLO
// on the warm ones has no samples, and says why.
TEST(Slo, AWarmSelectionAgainstAServerThatDoesNotSaySaysWhy) {
  result r;
  r.info.measured_duration = 1s;
  for (int i = 0; i < 3; ++i) {
    observation o;
    o.llm = true;
    o.adapter = "org/lora";
    o.latency = 10ms;
    r.file("generate", o, std::chrono::milliseconds{i}, 0);
  }
  const auto warm = check(p95(latency(warm_adapter("org/lora"))) < 1s, r);
  EXPECT_FALSE(warm.met);
  EXPECT_THAT(warm.message(), HasSubstr("no samples (2 of its successful requests are neither cold nor warm: the server does not say"));
}

TEST(Slo, AnEmptySetOfSlosFails) {
  EXPECT_THAT(latencies(1, 10), Not(meets(std::vector<slo>{})));
}

TEST(Slo, ComparisonsIncludeOrExcludeTheLimit) {
  const auto r = latencies(100, 100);
  EXPECT_TRUE(check(p95("generate") <= 100ms, r).met);
  EXPECT_FALSE(check(p95("generate") < 100ms, r).met);
  EXPECT_TRUE(check(p95("generate") >= 100ms, r).met);
  EXPECT_FALSE(check(p95("generate") > 100ms, r).met);
}

TEST(Slo, TheLimitMustSuitTheMetric) {
  EXPECT_THROW(p95("generate") < 1_percent, configuration_error);
  EXPECT_THROW(failure_rate() < 450ms, configuration_error);
  EXPECT_THROW(throughput() > 1_percent, configuration_error);
  EXPECT_NO_THROW(failure_rate() < percent(0.5));
  EXPECT_DOUBLE_EQ((failure_rate() < 0.5_percent).limit, 0.005);
}

TEST(Slo, DescribesItselfForGoogleTest) {
  EXPECT_EQ((p90(ttft("stream")) < 250ms).description(), "p90 TTFT (stream) < 250.0 ms");
  const testing::Matcher<const result&> m = meets(p95() < 1s, failure_rate("generate") <= 2_percent);
  EXPECT_EQ(testing::DescribeMatcher<const result&>(m),
            "meets 2 SLOs:\n  p95 latency < 1000.0 ms\n  failure rate (generate) <= 2.00 %");
}
