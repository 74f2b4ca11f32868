#include "loadgate/gate/gate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gate_synthetic_runs.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/gate/matchers.hpp"

using namespace loadgate;
using testing::HasSubstr;

namespace {

std::vector<result> runs(bench::synthetic_model m, std::uint64_t first_seed, std::size_t n) {
  std::vector<result> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(bench::synthetic_run(m, first_seed + i));
  return out;
}

bench::synthetic_model shifted(double shift) {
  bench::synthetic_model m;
  m.shift = shift;
  return m;
}

const metric_verdict& verdict_of(const gate_decision& d, const metric& m) {
  for (const auto& v : d.metrics)
    if (v.metric == m) return v;
  throw std::logic_error{"metric not gated: " + m.label()};
}

}  // namespace

TEST(Gate, NoChangePasses) {
  const auto d = decide(runs(shifted(1.0), 100, 1), runs(shifted(1.0), 200, 1), gate_options{});
  EXPECT_THAT(d, gate_passed());
  for (const auto& v : d.metrics) EXPECT_EQ(v.verdict, verdict::pass) << format_verdict(v);
  const auto& p95v = verdict_of(d, p95());
  EXPECT_GT(p95v.block_windows, 0u) << "compared window blocks";
  EXPECT_LT(p95v.low, 0.0);
  EXPECT_GT(p95v.high, 0.0);
}

TEST(Gate, AClearRegressionIsARegressionWithItsSize) {
  const auto d = decide(runs(shifted(1.0), 100, 1), runs(shifted(1.3), 200, 1), gate_options{});
  EXPECT_FALSE(d.passed());
  EXPECT_FALSE(d.rerun()) << "clear evidence needs no more runs";
  const auto& v = verdict_of(d, p95());
  EXPECT_EQ(v.verdict, verdict::regression);
  EXPECT_NEAR(v.change, 0.30, 0.08);
  EXPECT_LT(v.low, v.change);
  EXPECT_GT(v.high, v.change);
  EXPECT_LT(v.p_value, 0.001);
  EXPECT_EQ(verdict_of(d, throughput()).verdict, verdict::regression) << "a closed model loses throughput";
  EXPECT_THAT(format_verdict(v), testing::MatchesRegex(
                                     "p95 latency: [0-9.]+ ms → [0-9.]+ ms, \\+[0-9]+\\.[0-9] % \\[\\+[0-9.]+, \\+[0-9.]+\\], "
                                     "p<0.001 → regression \\(threshold 10 %\\)"));
  testing::StringMatchResultListener listener;
  EXPECT_FALSE(testing::ExplainMatchResult(gate_passed(), d, &listener));
  EXPECT_THAT(listener.str(), HasSubstr("baseline gate FAILED after 1 of at most 3 runs"));
}

TEST(Gate, AClearImprovementIsAnImprovementAndPasses) {
  const auto d = decide(runs(shifted(1.0), 100, 1), runs(shifted(0.7), 200, 1), gate_options{});
  EXPECT_EQ(verdict_of(d, p95()).verdict, verdict::improvement);
  EXPECT_TRUE(d.passed());
}

TEST(Gate, ARegressionInFailuresIsMeasuredInPercentagePoints) {
  auto worse = shifted(1.0);
  worse.failure_probability = 0.05;
  const auto d = decide(runs(shifted(1.0), 100, 1), runs(worse, 200, 1), gate_options{});
  const auto& v = verdict_of(d, failure_rate());
  EXPECT_EQ(v.verdict, verdict::regression) << format_verdict(v);
  EXPECT_NEAR(v.change, 0.048, 0.01);
  EXPECT_THAT(format_verdict(v), HasSubstr("pp ["));
  EXPECT_THAT(format_verdict(v), HasSubstr("threshold 1 pp"));
}

TEST(Gate, VerdictsRepeatExactly) {
  const auto base = runs(shifted(1.0), 100, 2), current = runs(shifted(1.1), 200, 1);
  const auto a = decide(base, current, gate_options{}), b = decide(base, current, gate_options{});
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (std::size_t i = 0; i < a.metrics.size(); ++i) {
    EXPECT_EQ(a.metrics[i].low, b.metrics[i].low);
    EXPECT_EQ(a.metrics[i].high, b.metrics[i].high);
    EXPECT_EQ(a.metrics[i].verdict, b.metrics[i].verdict);
  }
}

TEST(Gate, AnAmbiguousChangeAsksForAnotherRunThenIsDecidedAtTheBound) {
  // +8 % over long runs: significant, but with the run-to-run noise floor the interval straddles
  // the 10 % threshold.
  auto model = shifted(1.08), base_model = shifted(1.0);
  model.run_drift = base_model.run_drift = 0;
  model.seconds = base_model.seconds = 120;
  const auto base = runs(base_model, 100, 1);
  const auto options = gate_options{}.metrics({{p95(), std::nullopt}});
  const auto first = decide(base, runs(model, 200, 1), options);
  const auto& v = verdict_of(first, p95());
  ASSERT_EQ(v.verdict, verdict::inconclusive) << format_verdict(v);
  EXPECT_TRUE(first.rerun());
  EXPECT_FALSE(first.passed());
  const auto last = decide(base, runs(model, 200, 3), options);
  const auto& at_bound = verdict_of(last, p95());
  EXPECT_FALSE(last.rerun());
  EXPECT_TRUE(at_bound.decided_at_bound);
  EXPECT_EQ(at_bound.verdict, verdict::regression) << "a significant 8 % is nearer 10 % than 0 %: " << format_verdict(v) << "\n" << format_verdict(at_bound);
  EXPECT_THAT(format_verdict(at_bound), HasSubstr("decided at the run bound"));
}

TEST(Gate, PerNameMetricsAreComparedPerWindow) {
  auto model = shifted(1.0);
  std::vector<result> base = runs(model, 100, 1), current = runs(model, 200, 1);
  observation health;
  health.latency = std::chrono::milliseconds{1};
  for (auto* side : {&base, &current})
    for (auto& r : *side)
      for (std::size_t w = 0; w < r.series.windows().size(); ++w) r.file("health", health, std::chrono::seconds{w}, w);
  const auto d = decide(base, current, gate_options{}.metrics({{p95("generate"), std::nullopt}}));
  const auto& v = verdict_of(d, p95("generate"));
  EXPECT_GT(v.block_windows, 0u) << "windows keep every request name: " << format_verdict(v);
  EXPECT_EQ(v.verdict, verdict::pass) << format_verdict(v);
}

namespace {

bench::synthetic_model streams(double shift) {
  auto m = shifted(shift);
  m.adapters = {"lora-a", "lora-b", "lora-c"};
  return m;
}

}  // namespace

TEST(Gate, TtftIsComparedPerWindow) {
  const auto options = gate_options{}.metrics({{p95(ttft()), std::nullopt}});
  const auto same = decide(runs(streams(1.0), 100, 3), runs(streams(1.0), 200, 1), options);
  const auto& v = verdict_of(same, p95(ttft()));
  EXPECT_GT(v.block_windows, 0u) << format_verdict(v);
  EXPECT_EQ(v.verdict, verdict::pass) << format_verdict(v);
  EXPECT_LT(v.high - v.low, 0.2) << "a windowed interval on 40-s runs is narrow: " << format_verdict(v);
  const auto slower = decide(runs(streams(1.0), 100, 3), runs(streams(1.3), 200, 1), options);
  const auto& r = verdict_of(slower, p95(ttft()));
  EXPECT_GT(r.block_windows, 0u);
  EXPECT_EQ(r.verdict, verdict::regression) << format_verdict(r);
  EXPECT_GT(r.low, 0.1) << format_verdict(r);
}

TEST(Gate, PerAdapterMetricsAreComparedPerWindow) {
  const auto one = p95(latency(adapter("lora-b")));
  const auto options = gate_options{}.metrics({{one, std::nullopt}, {p95(), std::nullopt}});
  const auto same = decide(runs(streams(1.0), 100, 3), runs(streams(1.0), 200, 1), options);
  const auto& v = verdict_of(same, one);
  EXPECT_GT(v.block_windows, 0u) << format_verdict(v);
  EXPECT_EQ(v.verdict, verdict::pass) << format_verdict(v);
  // Round-robin over three adapters: a third of the steady windows' samples are lora-b's.
  const auto share = static_cast<double>(v.current_samples) / static_cast<double>(verdict_of(same, p95()).current_samples);
  EXPECT_NEAR(share, 1.0 / 3, 0.01);
  const auto slower = decide(runs(streams(1.0), 100, 3), runs(streams(1.3), 200, 1), options);
  EXPECT_EQ(verdict_of(slower, one).verdict, verdict::regression) << format_verdict(verdict_of(slower, one));
  // Its one cold request, the run's first to lora-b, sits in the ramp, which no window comparison reads.
  EXPECT_EQ(observe(p95(latency(cold_adapter("lora-b"))), runs(streams(1.0), 200, 1).front()).samples, 1u);
}

TEST(Gate, AMetricWithoutSamplesNeverPasses) {
  const auto base = runs(shifted(1.0), 100, 1);
  const auto options = gate_options{}.metrics({{p95("vanished"), std::nullopt}}).max_runs(1);
  const auto d = decide(base, runs(shifted(1.0), 200, 1), options);
  EXPECT_EQ(d.metrics[0].verdict, verdict::inconclusive);
  EXPECT_THAT(d.metrics[0].note, HasSubstr("no samples"));
  EXPECT_FALSE(d.passed());
  EXPECT_FALSE(d.rerun());
}

TEST(Gate, ThresholdsAreSettablePerMetric) {
  const auto base = runs(shifted(1.0), 100, 1), current = runs(shifted(1.3), 200, 1);
  const auto d = decide(base, current, gate_options{}.metrics({}).gate(p95(), 0.5).gate(p90()));
  EXPECT_EQ(verdict_of(d, p95()).threshold, 0.5);
  EXPECT_EQ(verdict_of(d, p95()).verdict, verdict::pass) << "30 % is under a 50 % threshold";
  EXPECT_EQ(verdict_of(d, p90()).verdict, verdict::regression);
}

// The interval should cover the true change in about 1 − alpha of trials; the bound is loose
// because the runs are short and the trials few.
TEST(Gate, TheIntervalCoversTheTrueChange) {
  auto base_model = shifted(1.0), model = shifted(1.05);
  base_model.run_drift = model.run_drift = 0;
  const auto options = gate_options{}.metrics({{p95(), std::nullopt}}).run_noise(0).replicates(400);
  int covered = 0;
  const int trials = 30;
  for (int t = 0; t < trials; ++t) {
    const auto d = decide(runs(base_model, 1000 + 10 * t, 1), runs(model, 5000 + 10 * t, 1), options);
    const auto& v = d.metrics[0];
    covered += v.low <= 0.05 && 0.05 <= v.high;
  }
  EXPECT_GE(covered, 24) << "nominal 95 %: " << covered << " of " << trials;
}

// A staged run (the suite's spike: a tenth of the load, full load, a tenth again) mixes windows of
// very different throughput and latency. Windows at the same planned second of two runs see the
// same load, so the gate compares them position by position: the stage mix is the plan, not noise.
TEST(Gate, AStagedRunIsComparedPositionByPosition) {
  auto spike = shifted(1.0);
  spike.load_shape = bench::spike_shape();
  const auto d = decide(runs(spike, 100, 1), runs(spike, 200, 1), gate_options{});
  for (const auto& v : d.metrics) {
    EXPECT_EQ(v.verdict, verdict::pass) << format_verdict(v);
    // The 2-% run-noise floor alone gives ±5.5 %; mixing the stages gave the suite's Load.Spike
    // a throughput interval of [−22, +32] %.
    if (v.scale == change_scale::relative) {
      EXPECT_LT(v.high - v.low, 0.2) << format_verdict(v);
    }
  }
  EXPECT_FALSE(d.rerun()) << "no change in a staged run is clear after one run";
}

TEST(Gate, AStagedRunsThroughputRegressionIsFound) {
  auto spike = shifted(1.0), slower = shifted(1.3);
  spike.load_shape = slower.load_shape = bench::spike_shape();
  const auto d = decide(runs(spike, 100, 1), runs(slower, 200, 1), gate_options{});
  EXPECT_EQ(verdict_of(d, throughput()).verdict, verdict::regression) << format_verdict(verdict_of(d, throughput()));
  EXPECT_EQ(verdict_of(d, p95()).verdict, verdict::regression) << format_verdict(verdict_of(d, p95()));
}

TEST(Gate, RunsAreComparedOverTheSecondsTheyAllHave) {
  auto longer = shifted(1.0), shorter = shifted(1.0);
  shorter.seconds = 30;
  const auto d = decide(runs(longer, 100, 2), runs(shorter, 200, 1), gate_options{});
  const auto& v = verdict_of(d, p95());
  ASSERT_GT(v.block_windows, 0u);
  EXPECT_EQ(v.baseline_blocks, 2 * v.current_blocks) << "block i of every run covers the same seconds";
  EXPECT_LE(v.current_blocks * v.block_windows, 30u);
}

TEST(Gate, AnInterruptedRunIsRefusedNotJudged) {
  auto current = runs(shifted(1.0), 200, 2);
  current[1].info.interrupted = interruption{"SIGINT", std::chrono::seconds{3}, false};
  EXPECT_THAT([&] { (void)decide(runs(shifted(1.0), 100, 1), current, gate_options{}); },
              testing::ThrowsMessage<configuration_error>(HasSubstr("run 2: the run was interrupted by SIGINT")));
  auto baseline_runs = runs(shifted(1.0), 100, 1);
  baseline_runs[0].info.interrupted = current[1].info.interrupted;
  EXPECT_THAT([&] { (void)decide(baseline_runs, runs(shifted(1.0), 200, 1), gate_options{}); },
              testing::ThrowsMessage<configuration_error>(HasSubstr("the baseline's run 1: the run was interrupted")));
}
