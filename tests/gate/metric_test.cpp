#include "loadgate/gate/metric.hpp"

#include <gtest/gtest.h>
#include "observations.hpp"

using namespace std::chrono_literals;
using namespace loadgate;

namespace {

using test_support::observed_failure;
using test_support::observed_success;

// "generate": 100 successes of 1..100 ms and two failures in window 0, then 4 successes of 5 ms
// and a timeout in window 1; "health": 8 successes of 1 ms in window 1.
result two_requests() {
  result r;
  r.info.measured_duration = 10s;
  for (int i = 1; i <= 100; ++i) r.file("generate", observed_success(std::chrono::milliseconds{i}), 0s, 0);
  r.file("generate", observed_failure(failure_kind::timeout), 0s, 0);
  r.file("generate", observed_failure(failure_kind::http_5xx), 0s, 0);
  for (int i = 0; i < 4; ++i) r.file("generate", observed_success(5ms), 1s, 1);
  r.file("generate", observed_failure(failure_kind::timeout), 1s, 1);
  for (int i = 0; i < 8; ++i) r.file("health", observed_success(1ms), 1s, 1);
  return r;
}

}  // namespace

TEST(Metric, KeysAreStableAndLabelsReadable) {
  EXPECT_EQ(p95().key(), "latency.p95");
  EXPECT_EQ(p95("generate").key(), "latency.p95[request:generate]");
  EXPECT_EQ(percentile(latency(), 99.9).key(), "latency.p99.9");
  EXPECT_EQ(p90(ttft("stream")).key(), "ttft.p90[request:stream]");
  EXPECT_EQ(maximum(latency(adapter("lora-7"))).key(), "latency.max[adapter:lora-7]");
  EXPECT_EQ(failure_rate(failure_kind::timeout).key(), "failure_rate.timeout");
  EXPECT_EQ(throughput().key(), "throughput");
  EXPECT_EQ(p95("generate").label(), "p95 latency (generate)");
  EXPECT_EQ(failure_rate("generate", failure_kind::timeout).label(), "failure rate (generate, timeout)");
  EXPECT_EQ(p90(ttft("stream")).label(), "p90 TTFT (stream)");
}

TEST(Metric, DirectionAndScaleFollowTheFamily) {
  EXPECT_TRUE(p95().higher_is_worse());
  EXPECT_TRUE(failure_rate().higher_is_worse());
  EXPECT_FALSE(throughput().higher_is_worse());
  EXPECT_EQ(failure_rate().scale(), change_scale::absolute);
  EXPECT_EQ(p95().scale(), change_scale::relative);
  EXPECT_EQ(throughput().unit(), metric_unit::per_second);
}

TEST(Metric, ObservesLatencyPerNameAndOverall) {
  const auto r = two_requests();
  const auto named = observe(p95("generate"), r);
  EXPECT_EQ(named.samples, 104u);
  EXPECT_NEAR(named.value, 95'000, 100);
  EXPECT_EQ(observe(p95(), r).samples, 112u);
  EXPECT_NEAR(observe(maximum("generate"), r).value, 100'000, 100);
}

TEST(Metric, ObservesFailureRatesOverallAndByKind) {
  const auto r = two_requests();
  EXPECT_DOUBLE_EQ(observe(failure_rate("generate"), r).value, 3.0 / 107);
  EXPECT_DOUBLE_EQ(observe(failure_rate(failure_kind::timeout), r).value, 2.0 / 115);
  EXPECT_EQ(observe(failure_rate(), r).samples, 115u);
}

TEST(Metric, ThroughputIsCompletedRequestsPerMeasuredSecond) {
  const auto r = two_requests();
  EXPECT_DOUBLE_EQ(observe(throughput(), r).value, 11.5);
  EXPECT_DOUBLE_EQ(observe(throughput("health"), r).value, 0.8);
}

TEST(Metric, UnrecordedFamiliesHaveNoSamplesAndSayWhy) {
  const auto r = two_requests();
  const auto o = observe(p95(ttft("generate")), r);  // plain requests have no TTFT
  EXPECT_EQ(o.samples, 0u);
  EXPECT_NE(o.note.find("TTFT"), std::string::npos);
  EXPECT_NE(observe(p95("missing"), r).note.find("no request named 'missing'"), std::string::npos);
  EXPECT_EQ(observe(p95(latency(adapter("a"))), r).samples, 0u);
}

TEST(Metric, EveryMetricHasWindowsPerNameAndPerKind) {
  const auto r = two_requests();
  const auto all = window_tallies(p95(), r);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].distribution.count(), 12u);
  EXPECT_DOUBLE_EQ(observe(failure_rate(), (*window_tallies(failure_rate(), r))[1]).value, 1.0 / 13);
  const auto generate = window_tallies(p95("generate"), r);
  ASSERT_TRUE(generate.has_value()) << "windows keep every request name";
  EXPECT_EQ((*generate)[0].distribution.count(), 100u);
  EXPECT_EQ((*generate)[1].distribution.count(), 4u);
  const auto timeouts = window_tallies(failure_rate(failure_kind::timeout), r);
  ASSERT_TRUE(timeouts.has_value()) << "and every failure kind";
  EXPECT_EQ((*timeouts)[0].events, 1u);
  EXPECT_EQ((*timeouts)[0].count, 102u);
  EXPECT_EQ((*timeouts)[1].events, 1u);
  EXPECT_FALSE(window_tallies(p95(), result{}).has_value()) << "a result without windows has none";
}

TEST(Metric, FormatsValuesInTheirUnits) {
  EXPECT_EQ(format_value(metric_unit::microseconds, 512'340), "512.3 ms");
  EXPECT_EQ(format_value(metric_unit::microseconds, 850), "850 µs");
  EXPECT_EQ(format_value(metric_unit::fraction, 0.012), "1.20 %");
  EXPECT_EQ(format_value(metric_unit::per_second, 48.66), "48.7 req/s");
}

namespace {

// Two streams of "chat" in windows 1 and 2: TTFT 40 and 400 ms, TPOT 10 ms; adapter "a" first
// (cold), then warm. The SLO is TTFT <= 100 ms, so only the first meets it.
result llm_run() {
  result r;
  r.info.measured_duration = 10s;
  for (const auto ttft : {40ms, 400ms}) {
    auto o = observed_success(ttft + 200ms);
    o.llm = true;
    o.adapter = "a";
    o.adapter_loaded = false;  // the server said so; the first is cold as the adapter's first sight
    o.ttft = ttft;
    o.tpot = 10ms;
    o.e2e = ttft + 200ms;
    o.met_slo = ttft <= 100ms;
    const auto second = ttft == 40ms ? 1s : 2s;
    r.file("chat", o, second, static_cast<std::size_t>(second.count()));
  }
  return r;
}

}  // namespace

TEST(Metric, TtftTpotAndGoodputComeFromTheLlmStatistics) {
  const auto r = llm_run();
  EXPECT_NEAR(observe(p50(ttft("chat")), r).value, 40'000, 50);  // 3 significant digits
  EXPECT_EQ(observe(maximum(ttft()), r).value, 400'000);
  EXPECT_EQ(observe(p95(tpot("chat")), r).value, 10'000);
  EXPECT_DOUBLE_EQ(observe(goodput("chat"), r).value, 0.1);
  EXPECT_EQ(observe(goodput(), r).samples, 2u);
  EXPECT_NE(observe(p95(ttft("nope")), r).note.find("no request named 'nope'"), std::string::npos);
  const auto windows = window_tallies(p95(ttft("chat")), r);
  ASSERT_TRUE(windows.has_value()) << "windows keep TTFT";
  ASSERT_EQ(windows->size(), 3u);
  EXPECT_EQ((*windows)[1].distribution.max(), 40'000);
  EXPECT_EQ((*windows)[2].distribution.max(), 400'000);
  EXPECT_EQ((*window_tallies(goodput("chat"), r))[1].events, 1u);
  EXPECT_EQ((*window_tallies(goodput("chat"), r))[2].events, 0u);
  EXPECT_TRUE(records_ttft(r));
}

TEST(Metric, PerAdapterFiguresSplitColdAndWarm) {
  const auto r = llm_run();
  EXPECT_EQ(observe(maximum(ttft(cold_adapter("a"))), r).value, 40'000);
  EXPECT_EQ(observe(maximum(ttft(warm_adapter("a"))), r).value, 400'000);
  EXPECT_EQ(observe(maximum(latency(adapter("a"))), r).value, 600'000);
  EXPECT_DOUBLE_EQ(observe(throughput(adapter("a")), r).value, 0.2);
  EXPECT_EQ(observe(failure_rate(adapter("a")), r).samples, 2u);
  EXPECT_EQ(p95(ttft(cold_adapter("a"))).key(), "ttft.p95[adapter:a,cold]");
  EXPECT_EQ(p95(ttft(warm_adapter("a"))).label(), "p95 TTFT (adapter a, warm)");
  EXPECT_NE(observe(p95(latency(adapter("zz"))), r).note.find("no LLM requests to adapter 'zz'"), std::string::npos);
  EXPECT_EQ(observe(p95(tpot(adapter("a"))), r).value, 10'000) << "per adapter, every family";
  // Per window: the cold first sight sits in its own window, the warm request in its.
  const auto cold = window_tallies(maximum(ttft(cold_adapter("a"))), r);
  const auto warm = window_tallies(maximum(ttft(warm_adapter("a"))), r);
  ASSERT_TRUE(cold && warm);
  EXPECT_EQ((*cold)[1].distribution.count(), 1u);
  EXPECT_EQ((*cold)[2].distribution.count(), 0u);
  EXPECT_EQ((*warm)[2].distribution.max(), 400'000);
  EXPECT_EQ(observe(failure_rate(adapter("a"), failure_kind::timeout), r).samples, 2u) << "failure kinds per adapter";
}
