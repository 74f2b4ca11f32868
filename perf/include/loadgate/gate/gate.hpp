#pragma once
// The statistical gate: compares the current run(s) of a scenario with its baseline, metric by
// metric, and says pass, regression, improvement or inconclusive — with the relative change, an
// interval and a p-value. Inconclusive asks for another run, up to a bound. The rule and its
// calibration are documented in perf/src/gate/README.md.
//
//   auto runs = std::vector{loadgate::run(s, t)};
//   auto d = loadgate::decide(base, runs, options);
//   while (d.rerun()) { runs.push_back(loadgate::run(s, t)); d = loadgate::decide(base, runs, options); }
//   EXPECT_TRUE(d.passed()) << loadgate::format_decision(d);
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/metric.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

enum class verdict : std::uint8_t { pass, regression, improvement, inconclusive };
std::string_view to_string(verdict v);

struct gated_metric {
  loadgate::metric metric;
  // Practical threshold: relative (0.10 = 10 %) for latency and throughput, absolute (0.01 =
  // 1 percentage point) for rates. Unset: gate_options' default for the metric's scale.
  std::optional<double> threshold;
};

// p90 and p95 latency, failure rate and throughput of all requests.
std::vector<gated_metric> default_gated_metrics();
// The same plus p95 TTFT of all streams when `sample` records TTFT (records_ttft).
std::vector<gated_metric> default_gated_metrics(const result& sample);

class gate_options {
 public:
  // What to gate. Default: default_gated_metrics(), with p95 TTFT added by decide() when both the
  // baseline and the current runs record TTFT.
  gate_options& metrics(std::vector<gated_metric> m) {
    metrics_ = std::move(m);
    custom_metrics_ = true;
    return *this;
  }
  const std::vector<gated_metric>& metrics() const { return metrics_; }
  bool custom_metrics() const { return custom_metrics_; }  // metrics() or gate() was called
  // Adds a metric, or replaces the threshold of one already gated.
  gate_options& gate(metric m, std::optional<double> threshold = std::nullopt);

  gate_options& threshold(double relative) { threshold_ = relative; return *this; }  // default 0.10
  double threshold() const { return threshold_; }
  gate_options& absolute_threshold(double a) { absolute_threshold_ = a; return *this; }  // default 0.01 (rates)
  double absolute_threshold() const { return absolute_threshold_; }
  // Significance level of the test and 1 − confidence of the interval. Default 0.05.
  gate_options& alpha(double a) { alpha_ = a; return *this; }
  double alpha() const { return alpha_; }
  // Runs in all, counting the first, before an inconclusive metric must be decided. Default 3.
  gate_options& max_runs(std::size_t n) { max_runs_ = n; return *this; }
  std::size_t max_runs() const { return max_runs_; }
  // At the bound, a significant change of at least decision_point × threshold is a regression
  // (the nearer of "no change" and "threshold"). Default 0.5.
  gate_options& decision_point(double f) { decision_point_ = f; return *this; }
  double decision_point() const { return decision_point_; }
  // Floor of the run-to-run noise (relative SD of one run's value) that windows of one run cannot
  // show; the spread of repeated runs raises it when larger. Default 0.02 (CodSpeed measured 2.7 %
  // on hosted runners).
  gate_options& run_noise(double sd) { run_noise_ = sd; return *this; }
  double run_noise() const { return run_noise_; }
  gate_options& replicates(std::size_t n) { replicates_ = n; return *this; }  // bootstrap, default 1000
  std::size_t replicates() const { return replicates_; }
  gate_options& seed(std::uint64_t s) { seed_ = s; return *this; }  // bootstrap, default 1: verdicts repeat
  std::uint64_t seed() const { return seed_; }
  // Windows always skipped at the start (connections, caches), besides the detected ramp-up. Default 2 s.
  gate_options& warmup(std::chrono::seconds w) { warmup_ = w; return *this; }
  std::chrono::seconds warmup() const { return warmup_; }
  // Fewest one-second windows merged into a block, against autocorrelation. Default 2.
  gate_options& min_block_windows(std::size_t n) { min_block_windows_ = n; return *this; }
  std::size_t min_block_windows() const { return min_block_windows_; }

 private:
  std::vector<gated_metric> metrics_ = default_gated_metrics();
  bool custom_metrics_ = false;
  double threshold_ = 0.10;
  double absolute_threshold_ = 0.01;
  double alpha_ = 0.05;
  std::size_t max_runs_ = 3;
  double decision_point_ = 0.5;
  double run_noise_ = 0.02;
  std::size_t replicates_ = 1000;
  std::uint64_t seed_ = 1;
  std::chrono::seconds warmup_{2};
  std::size_t min_block_windows_ = 2;
};

struct metric_verdict {
  loadgate::metric metric;
  loadgate::verdict verdict = loadgate::verdict::inconclusive;
  double baseline_value = 0;  // over the compared (steady) part of the runs, in the metric's unit
  double current_value = 0;
  std::uint64_t baseline_samples = 0;
  std::uint64_t current_samples = 0;
  change_scale scale = change_scale::relative;
  double change = 0;  // current vs baseline: relative (0.124 = +12.4 %) or absolute difference
  double low = 0;     // interval, 1 − alpha
  double high = 0;
  double p_value = 1;
  double threshold = 0;
  std::size_t block_windows = 0;    // windows per block; 0: no windows, whole-run figures compared
  std::size_t baseline_blocks = 0;
  std::size_t current_blocks = 0;
  bool decided_at_bound = false;  // was inconclusive at the run bound and decided by decision_point
  std::string note;               // why a metric could not be judged, or how it was
};

struct gate_decision {
  std::vector<metric_verdict> metrics;
  std::size_t runs = 0;
  std::size_t max_runs = 0;

  bool rerun() const;   // a metric is inconclusive and another run is allowed
  bool passed() const;  // every metric passed or improved
};

// What a gated scenario's baseline action and decision come to: compare passes when the decision
// passed; create and update pass (the baseline was written from runs); missing and stale fail.
bool gate_passed(baseline_action action, const std::optional<gate_decision>& decision);

gate_decision decide(const baseline& b, const std::vector<result>& runs, const gate_options& options);
// The same on the baseline's runs directly (benchmarks, tests).
gate_decision decide(const std::vector<result>& baseline_runs, const std::vector<result>& runs,
                     const gate_options& options);

}  // namespace loadgate
