#include "loadgate/gate/metric.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using namespace loadgate;

namespace {

result two_requests() {
  result r;
  r.info.measured_duration = 10s;
  for (int i = 1; i <= 100; ++i) r.requests["generate"].record_success(std::chrono::milliseconds{i}, 1ms);
  r.requests["generate"].record_failure(failure_kind::timeout);
  r.requests["generate"].record_failure(failure_kind::http_5xx);
  for (int i = 0; i < 8; ++i) r.requests["health"].record_success(1ms, 1ms);
  r.series.window(0).requests = 60;
  r.series.window(1).requests = 50;
  r.series.window(1).failures = 2;
  r.series.window(1).latency.record(5ms);
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
  EXPECT_EQ(named.samples, 100u);
  EXPECT_NEAR(named.value, 95'000, 100);
  EXPECT_EQ(observe(p95(), r).samples, 108u);
  EXPECT_NEAR(observe(maximum("generate"), r).value, 100'000, 100);
}

TEST(Metric, ObservesFailureRatesOverallAndByKind) {
  const auto r = two_requests();
  EXPECT_DOUBLE_EQ(observe(failure_rate("generate"), r).value, 2.0 / 102);
  EXPECT_DOUBLE_EQ(observe(failure_rate(failure_kind::timeout), r).value, 1.0 / 110);
  EXPECT_EQ(observe(failure_rate(), r).samples, 110u);
}

TEST(Metric, ThroughputIsCompletedRequestsPerMeasuredSecond) {
  const auto r = two_requests();
  EXPECT_DOUBLE_EQ(observe(throughput(), r).value, 11.0);
  EXPECT_DOUBLE_EQ(observe(throughput("health"), r).value, 0.8);
}

TEST(Metric, UnrecordedFamiliesHaveNoSamplesAndSayWhy) {
  const auto r = two_requests();
  const auto o = observe(p95(ttft("generate")), r);
  EXPECT_EQ(o.samples, 0u);
  EXPECT_NE(o.note.find("TTFT"), std::string::npos);
  EXPECT_NE(observe(p95("missing"), r).note.find("no request named 'missing'"), std::string::npos);
  EXPECT_EQ(observe(p95(latency(adapter("a"))), r).samples, 0u);
}

TEST(Metric, WindowsExistForTheWholeRunOnly) {
  const auto r = two_requests();
  const auto all = window_tallies(p95(), r);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].distribution.count(), 1u);
  EXPECT_EQ(observe(failure_rate(), (*window_tallies(failure_rate(), r))[1]).value, 2.0 / 50);
  EXPECT_FALSE(window_tallies(p95("generate"), r).has_value()) << "time_series merges request names";
  EXPECT_FALSE(window_tallies(failure_rate(failure_kind::timeout), r).has_value()) << "and failure kinds";
  result single;
  single.requests["only"].record_success(1ms, 1ms);
  EXPECT_TRUE(window_tallies(p95("only"), single).has_value()) << "a run's only request name is the whole run";
}

TEST(Metric, FormatsValuesInTheirUnits) {
  EXPECT_EQ(format_value(metric_unit::microseconds, 512'340), "512.3 ms");
  EXPECT_EQ(format_value(metric_unit::microseconds, 850), "850 µs");
  EXPECT_EQ(format_value(metric_unit::fraction, 0.012), "1.20 %");
  EXPECT_EQ(format_value(metric_unit::per_second, 48.66), "48.7 req/s");
}

namespace {

// Two streams of "chat": TTFT 40 and 400 ms, TPOT 10 ms; adapter "a" first (cold), then warm.
result llm_run() {
  result r;
  r.info.measured_duration = 10s;
  r.llm.emplace("chat", llm::llm_stats{llm::per_request_slo{.ttft = 100ms}});
  for (const auto ttft : {40ms, 400ms}) {
    llm::llm_observation o;
    o.t0 = clock::time_point{} + (ttft == 40ms ? 1s : 2s);
    o.status = 200;
    o.ttft = ttft;
    o.tpot = 10ms;
    o.e2e = ttft + 200ms;
    o.adapter = "a";
    r.llm.at("chat").record(o);
    r.adapters.record(o, clock::time_point{});
  }
  r.requests["chat"].record_success(240ms, 240ms);
  r.requests["chat"].record_success(600ms, 600ms);
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
  EXPECT_NE(observe(p95(ttft("nope")), r).note.find("no LLM request named 'nope'"), std::string::npos);
  EXPECT_FALSE(window_tallies(p95(ttft()), r)) << "the time series keeps no TTFT";
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
  EXPECT_NE(observe(p95(latency(adapter("zz"))), r).note.find("no requests to adapter 'zz'"), std::string::npos);
  EXPECT_NE(observe(p95(tpot(adapter("a"))), r).note.find("not TPOT"), std::string::npos);
}
