#include "loadgate/gate/gate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "gate/blocks.hpp"
#include "gate/bootstrap.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/fingerprint.hpp"
#include "gate/statistics.hpp"

namespace loadgate {

namespace {

using namespace gate_detail;
namespace st = gate_statistics;

// Requests within a run are not independent, and neither quite are adjacent blocks: the pooled
// fallback doubles its iid sampling variance (a design effect of 2) rather than trust it.
constexpr double design_effect = 2;

// One side (baseline or current) of a comparison, for one metric.
struct side {
  runs_of_blocks blocks;            // per run; empty in the pooled fallback
  std::vector<double> run_values;   // transformed value of each run
  metric_tally pooled;                     // everything compared, merged
};

// A change in the transformed scale (log ratio or difference) with its interval and p-value.
struct change_estimate {
  double change = 0, low = 0, high = 0, p_value = 1;
};

struct metric_setup {
  const metric& m;
  double threshold;
  const gate_options& options;
  std::uint64_t seed;
};

// ---- gathering -------------------------------------------------------------------------------

// Every run's one-second windows for the metric, or nothing when a run has none for it.
std::optional<std::vector<std::vector<metric_tally>>> windows_of(const metric& m, const std::vector<result>& runs) {
  std::vector<std::vector<metric_tally>> out;
  for (const auto& r : runs) {
    auto windows = window_tallies(m, r);
    if (!windows) return std::nullopt;
    out.push_back(std::move(*windows));
  }
  return out;
}

// The steady windows every run has (the latest start, the earliest end): block i of every run then
// covers the same planned seconds, which the paired comparison relies on.
window_range shared_steady_windows(const std::vector<result>& baseline_runs, const std::vector<std::vector<metric_tally>>& baseline,
                                   const std::vector<result>& runs, const std::vector<std::vector<metric_tally>>& current,
                                   std::chrono::seconds warmup) {
  window_range shared{0, std::numeric_limits<std::size_t>::max()};
  for (const auto& [results, windows] : {std::pair{&baseline_runs, &baseline}, std::pair{&runs, &current}})
    for (std::size_t i = 0; i < results->size(); ++i) {
      const auto range = steady_windows((*results)[i], (*windows)[i], warmup);
      shared.begin = std::max(shared.begin, range.begin);
      shared.end = std::min(shared.end, range.end);
    }
  return shared;
}

side windowed_side(const metric& m, const std::vector<std::vector<metric_tally>>& runs, window_range range, std::size_t k) {
  side s;
  for (const auto& windows : runs) {
    auto blocks = make_blocks(windows, range, k);
    metric_tally run_total;
    for (const auto& b : blocks) run_total.merge(b);
    s.run_values.push_back(gate_detail::transformed(m, observe(m, run_total).value));
    s.pooled.merge(run_total);
    s.blocks.push_back(std::move(blocks));
  }
  return s;
}

side pooled_side(const metric& m, const std::vector<result>& runs) {
  side s;
  for (const auto& r : runs) {
    const auto t = whole_run_tally(m, r);
    s.run_values.push_back(gate_detail::transformed(m, observe(m, t).value));
    s.pooled.merge(t);
  }
  return s;
}

std::size_t block_count(const side& s) {
  std::size_t n = 0;
  for (const auto& run : s.blocks) n += run.size();
  return n;
}

// Block values aligned by position (Hodges and Lehmann's aligned ranks): each block's transformed
// value minus the mean, at its position, over every run of both sides. A staged run's full-load
// blocks are then ranked against full-load blocks, not against its quiet ones.
std::pair<std::vector<double>, std::vector<double>> aligned_block_values(const metric& m, const side& b, const side& c) {
  const auto value = [&](const metric_tally& t) {
    const auto o = observe(m, t);
    return o.samples > 0 ? gate_detail::transformed(m, o.value) : std::numeric_limits<double>::quiet_NaN();
  };
  std::pair<std::vector<double>, std::vector<double>> aligned;
  std::vector<double> base, current;  // at one position, a value per run
  for (std::size_t j = 0; j < b.blocks.front().size(); ++j) {
    base.clear(), current.clear();
    double sum = 0, n = 0;
    for (auto [s, values] : {std::pair{&b, &base}, std::pair{&c, &current}})
      for (const auto& run : s->blocks)
        if (const double v = value(run[j]); !std::isnan(v)) values->push_back(v), sum += v, n += 1;
    for (const double v : base) aligned.first.push_back(v - sum / n);
    for (const double v : current) aligned.second.push_back(v - sum / n);
  }
  return aligned;
}

// ---- noise -----------------------------------------------------------------------------------

void add_sum_of_squares(const std::vector<double>& xs, double& sum_squares) {
  double mean = 0;
  for (const double x : xs) mean += x;
  mean /= static_cast<double>(xs.size());
  for (const double x : xs) sum_squares += (x - mean) * (x - mean);
}

// Variance of one run's transformed value that windows cannot show (drift between runs), from the
// spread of repeated runs minus what sampling within a run explains; never below the floor.
// `sampling` is the variance of each side's pooled value from sampling alone.
double run_variance(const metric& m, const side& b, const side& c, double sampling_b, double sampling_c,
                    const gate_options& o) {
  double sum_squares = 0, dof = 0, explained = 0, sides = 0;
  for (const auto& [s, sampling] : {std::pair{&b, sampling_b}, std::pair{&c, sampling_c}}) {
    if (s->run_values.size() < 2) continue;
    add_sum_of_squares(s->run_values, sum_squares);
    dof += static_cast<double>(s->run_values.size() - 1);
    explained += sampling * static_cast<double>(s->run_values.size());  // a pooled value averages n runs
    sides += 1;
  }
  const double between = dof > 0 ? std::max(0.0, sum_squares / dof - explained / sides) : 0.0;
  const double floor = m.scale() == change_scale::relative ? o.run_noise() : 0.0;
  return std::max(floor * floor, between);
}

double run_term(double run_var, const side& b, const side& c) {
  return run_var * (1.0 / static_cast<double>(b.run_values.size()) + 1.0 / static_cast<double>(c.run_values.size()));
}

// iid sampling variance of a pooled value (transformed scale), for the fallback without windows.
double sampling_variance(const metric& m, const metric_tally& t) {
  switch (m.statistic) {
    case statistic::percentile: {
      const auto n = static_cast<double>(t.distribution.count());
      if (n < 2) return 0;
      // Distribution-free interval of a quantile: the order statistics n q ± 1.96 sqrt(n q (1 − q)).
      const double q = m.percent / 100, d = 1.96 * std::sqrt(n * q * (1 - q));
      const double lo_rank = std::max(1.0, std::floor(n * q - d)), hi_rank = std::min(n, std::ceil(n * q + d));
      const auto lo = static_cast<double>(t.distribution.value_at_percentile(100 * lo_rank / n));
      const auto hi = static_cast<double>(t.distribution.value_at_percentile(100 * hi_rank / n));
      const double se = (std::log(hi) - std::log(lo)) / (2 * 1.96);
      return design_effect * se * se;
    }
    case statistic::rate: {
      if (t.count == 0) return 0;
      const double p = static_cast<double>(t.events) / static_cast<double>(t.count);
      return design_effect * p * (1 - p) / static_cast<double>(t.count);
    }
    case statistic::per_second: return t.count ? design_effect / static_cast<double>(t.count) : 0.0;
    case statistic::maximum:
    case statistic::mean:
    case statistic::minimum: return 0;  // only the run-to-run term
  }
  return 0;
}

// ---- the two ways to estimate a change -------------------------------------------------------

change_estimate windowed_change(const metric_setup& s, const side& b, const side& c, double point) {
  const auto boot = bootstrap_change(s.m, b.blocks, c.blocks, s.options.alpha(), s.options.replicates(), s.seed);
  const double z = st::normal_quantile(1 - s.options.alpha() / 2);
  // One run's sampling variance, assumed alike on both sides: the change's is σ² (1/n_b + 1/n_c).
  const double nb = static_cast<double>(b.run_values.size()), nc = static_cast<double>(c.run_values.size());
  const double per_run = boot.change_variance / (1 / nb + 1 / nc);
  const double runs = run_term(run_variance(s.m, b, c, per_run / nb, per_run / nc, s.options), b, c);
  const double down = std::max(0.0, point - boot.low), up = std::max(0.0, boot.high - point);
  change_estimate e;
  e.change = point;
  e.low = point - std::sqrt(down * down + z * z * runs);
  e.high = point + std::sqrt(up * up + z * z * runs);
  const auto [bv, cv] = aligned_block_values(s.m, b, c);
  e.p_value = st::mann_whitney(bv, cv).p_value;
  // The rank test sees only windows; a change that run-to-run noise explains is not significant.
  const double sd = std::sqrt(boot.change_variance + runs);
  if (sd > 0) e.p_value = std::max(e.p_value, 2 * (1 - st::normal_cdf(std::abs(point) / sd)));
  return e;
}

change_estimate pooled_change(const metric_setup& s, const side& b, const side& c, double point) {
  const double vb = sampling_variance(s.m, b.pooled), vc = sampling_variance(s.m, c.pooled);
  const double runs = run_term(run_variance(s.m, b, c, vb, vc, s.options), b, c);
  const double sd = std::sqrt(vb + vc + runs);
  const double z = st::normal_quantile(1 - s.options.alpha() / 2);
  change_estimate e{point, point - z * sd, point + z * sd, 1};
  e.p_value = sd > 0 ? 2 * (1 - st::normal_cdf(std::abs(point) / sd)) : (point == 0 ? 1.0 : 0.0);
  return e;
}

// ---- the rule --------------------------------------------------------------------------------

// Pass, regression or improvement when the evidence is clear; otherwise inconclusive, and at the
// run bound the nearer of "no change" and "threshold" (see README: the decision rule).
void judge(metric_verdict& v, const gate_options& o, bool at_bound) {
  const double sign = v.metric.higher_is_worse() ? 1 : -1;
  const double worse = sign * v.change;
  const double worse_low = std::min(sign * v.low, sign * v.high), worse_high = std::max(sign * v.low, sign * v.high);
  const bool significant = v.p_value <= o.alpha();
  const bool significantly_worse = significant && worse_low > 0;
  const bool significantly_better = significant && worse_high < 0;
  if (significantly_worse && worse >= v.threshold) {
    v.verdict = verdict::regression;
  } else if (significantly_better && worse <= -v.threshold) {
    v.verdict = verdict::improvement;
  } else if (worse_high < v.threshold) {
    v.verdict = verdict::pass;
  } else if (at_bound) {
    v.decided_at_bound = true;
    v.verdict = significantly_worse && worse >= o.decision_point() * v.threshold ? verdict::regression : verdict::pass;
  } else {
    v.verdict = verdict::inconclusive;
  }
}

std::uint64_t metric_seed(const metric& m, std::uint64_t seed) { return seed ^ fnv1a_64(m.key()); }

metric_verdict compare(const gated_metric& g, const std::vector<result>& baseline_runs,
                       const std::vector<result>& runs, const gate_options& o) {
  const metric& m = g.metric;
  metric_verdict v;
  v.metric = m;
  v.scale = m.scale();
  v.threshold = g.threshold.value_or(m.scale() == change_scale::relative ? o.threshold() : o.absolute_threshold());
  const metric_setup setup{m, v.threshold, o, metric_seed(m, o.seed())};

  const auto bw = windows_of(m, baseline_runs), cw = windows_of(m, runs);
  bool windowed = bw && cw;
  side b, c;
  if (windowed) {
    const auto range = shared_steady_windows(baseline_runs, *bw, runs, *cw, o.warmup());
    const auto k = block_windows(m, bw->front(), range, o.min_block_windows());  // the first baseline run sets k
    b = windowed_side(m, *bw, range, k);
    c = windowed_side(m, *cw, range, k);
    const auto nb = block_count(b), nc = block_count(c);
    windowed = nb >= 4 && nc >= 4 && st::smallest_p_value(nb, nc) <= o.alpha();
    if (windowed) v.block_windows = k, v.baseline_blocks = nb, v.current_blocks = nc;
    else v.note = "too few steady windows for a rank test; compared whole runs";
  } else {
    v.note = "no per-window figures for this selection; compared whole runs";
  }
  if (!windowed) b = pooled_side(m, baseline_runs), c = pooled_side(m, runs);

  const auto ob = observe(m, b.pooled), oc = observe(m, c.pooled);
  v.baseline_value = ob.value, v.current_value = oc.value;
  v.baseline_samples = ob.samples, v.current_samples = oc.samples;
  const auto tb = gate_detail::transformed(m, ob.value), tc = gate_detail::transformed(m, oc.value);
  if (ob.samples == 0 || oc.samples == 0 || std::isnan(tb) || std::isnan(tc)) {
    const auto why = unavailable_reason(m, runs.front());
    v.note = ob.samples == 0 ? "no samples in the baseline" : oc.samples == 0 ? "no samples" : "a value of 0 has no relative change";
    if (!why.empty()) v.note += " (" + why + ")";
    v.verdict = verdict::inconclusive;
    return v;
  }
  const auto e = windowed ? windowed_change(setup, b, c, tc - tb) : pooled_change(setup, b, c, tc - tb);
  const bool relative = m.scale() == change_scale::relative;
  v.change = relative ? std::expm1(e.change) : e.change;
  v.low = relative ? std::expm1(e.low) : e.low;
  v.high = relative ? std::expm1(e.high) : e.high;
  v.p_value = e.p_value;
  judge(v, o, runs.size() >= o.max_runs());
  return v;
}

}  // namespace

std::string_view to_string(verdict v) {
  switch (v) {
    case verdict::pass: return "pass";
    case verdict::regression: return "regression";
    case verdict::improvement: return "improvement";
    case verdict::inconclusive: return "inconclusive";
  }
  return "?";
}

bool gate_passed(baseline_action action, const std::optional<gate_decision>& decision) {
  switch (action) {
    case baseline_action::compare: return decision && decision->passed();
    case baseline_action::create:
    case baseline_action::update: return true;
    case baseline_action::fail_missing:
    case baseline_action::fail_stale: return false;
  }
  return false;
}

std::vector<gated_metric> default_gated_metrics() {
  return {{p90(), std::nullopt}, {p95(), std::nullopt}, {failure_rate(), std::nullopt}, {throughput(), std::nullopt}};
}

std::vector<gated_metric> default_gated_metrics(const result& sample) {
  auto metrics = default_gated_metrics();
  if (records_ttft(sample)) metrics.push_back({p95(ttft()), std::nullopt});
  return metrics;
}

gate_options& gate_options::gate(metric m, std::optional<double> threshold) {
  custom_metrics_ = true;
  for (auto& g : metrics_)
    if (g.metric == m) {
      g.threshold = threshold;
      return *this;
    }
  metrics_.push_back({std::move(m), threshold});
  return *this;
}

bool gate_decision::rerun() const {
  return runs < max_runs &&
         std::any_of(metrics.begin(), metrics.end(), [](const auto& v) { return v.verdict == verdict::inconclusive; });
}

bool gate_decision::passed() const {
  return std::all_of(metrics.begin(), metrics.end(), [](const auto& v) {
    return v.verdict == verdict::pass || v.verdict == verdict::improvement;
  });
}

gate_decision decide(const std::vector<result>& baseline_runs, const std::vector<result>& runs,
                     const gate_options& options) {
  if (baseline_runs.empty()) throw configuration_error{"the gate needs a baseline with at least one run"};
  if (runs.empty()) throw configuration_error{"the gate needs at least one current run"};
  if (!(options.alpha() > 0 && options.alpha() < 1)) throw configuration_error{"gate alpha must be in (0, 1)"};
  for (std::size_t i = 0; i < runs.size(); ++i) require_judgeable(runs[i], "run " + std::to_string(i + 1));
  for (std::size_t i = 0; i < baseline_runs.size(); ++i)
    require_judgeable(baseline_runs[i], "the baseline's run " + std::to_string(i + 1));
  gate_decision d;
  d.runs = runs.size();
  d.max_runs = options.max_runs();
  const bool streams = records_ttft(baseline_runs.front()) && records_ttft(runs.front());
  const auto metrics = !options.custom_metrics() && streams ? default_gated_metrics(runs.front()) : options.metrics();
  for (const auto& g : metrics) d.metrics.push_back(compare(g, baseline_runs, runs, options));
  return d;
}

gate_decision decide(const baseline& b, const std::vector<result>& runs, const gate_options& options) {
  return decide(b.runs, runs, options);
}

}  // namespace loadgate
