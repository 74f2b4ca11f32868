#pragma once
// Synthetic runs for calibrating and testing the gate offline: per-request lognormal latencies at
// a steady rate after a ramp-up, in one-second windows, with the two kinds of noise a real service
// shows — slow fluctuation within a run (an AR(1) factor per window) and drift between runs (a
// factor per run) — and a drain ("grace") window at the end. A load shape makes the runs staged
// (spike, step): the rate follows it second by second, and latency grows with load as a batching
// server's does.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gate/statistics.hpp"
#include "loadgate/result.hpp"

namespace loadgate::bench {

struct synthetic_model {
  double rate = 300;                   // requests per second in steady state
  int seconds = 40;                    // planned duration
  int ramp_seconds = 3;                // linear ramp of the rate
  double median_ms = 200;              // median latency
  double sigma = 0.45;                 // lognormal shape: p95 / median ≈ e^(1.645 σ) ≈ 2.1
  double shift = 1.0;                  // the change under test, multiplies every latency
  double run_drift = 0.02;             // SD of a per-run log factor on latency
  double window_noise = 0.03;          // SD of the per-window AR(1) log factor
  double window_correlation = 0.6;     // AR(1) coefficient between adjacent windows
  double failure_probability = 0.002;  // per request, http_5xx
  bool closed_model = true;            // throughput falls as latency rises (users wait for replies)
  std::string request_name = "generate";
  // Rate multiplier per planned second (1 = `rate`); empty: ramp, then steady for `seconds`.
  std::vector<double> load_shape;
  double load_latency_exponent = 0.2;  // latency × load^exponent in a staged run
  // LLM streams: requests go round-robin to these adapters, and a success's TTFT is `ttft_share`
  // of its latency. Empty: plain HTTP requests.
  std::vector<std::string> adapters;
  double ttft_share = 0.3;
};

// The perf suite's Load.Spike: 4 s at a tenth of the load, a 2-s ramp to full load, 6 s there,
// a 1-s fall and 3 s at a tenth again.
inline std::vector<double> spike_shape() {
  return {0.1, 0.1, 0.1, 0.1, 0.55, 1, 1, 1, 1, 1, 1, 1, 0.55, 0.1, 0.1, 0.1};
}

inline double planned_load(const synthetic_model& m, int second) {
  if (!m.load_shape.empty()) {
    const auto last = m.load_shape.size() - 1;  // the drain window keeps the last stage's load
    return m.load_shape[std::min(static_cast<std::size_t>(second), last)];
  }
  return second < m.ramp_seconds ? (second + 1.0) / (m.ramp_seconds + 1.0) : 1.0;
}

inline result synthetic_run(const synthetic_model& m, std::uint64_t seed) {
  gate_statistics::random rng{seed};
  result r;
  r.info.scenario = "synthetic";
  r.info.seed = seed;
  const int seconds = m.load_shape.empty() ? m.seconds : static_cast<int>(m.load_shape.size());
  r.info.planned_duration = std::chrono::seconds{seconds};
  r.info.measured_duration = std::chrono::seconds{seconds + 1};
  const double run_factor = std::exp(m.run_drift * rng.normal());
  double ar = 0;
  const double innovation = m.window_noise * std::sqrt(1 - m.window_correlation * m.window_correlation);
  for (int w = 0; w <= seconds; ++w) {  // the last window is the grace period's drain
    ar = m.window_correlation * ar + innovation * rng.normal();
    const double load = planned_load(m, w);
    const double slowdown = m.shift * run_factor * std::exp(ar);  // slows users; the stage does not
    const double factor = slowdown * (m.load_shape.empty() ? 1.0 : std::pow(load, m.load_latency_exponent));
    double rate = m.rate * load;
    if (m.closed_model) rate /= slowdown;
    if (w == seconds) rate *= 0.2;
    const auto n = static_cast<long>(std::lround(std::max(0.0, rate + std::sqrt(rate) * rng.normal())));
    r.series.window(static_cast<std::size_t>(w)).active_users = static_cast<std::uint64_t>(rate);
    for (long i = 0; i < n; ++i) {
      observation o;
      if (rng.uniform() < m.failure_probability) {
        o.failure = failure_kind::http_5xx;
      } else {
        const double ms = m.median_ms * factor * std::exp(m.sigma * rng.normal());
        o.latency = std::chrono::nanoseconds{static_cast<std::int64_t>(ms * 1e6)};
        o.latency_uncorrected = o.latency;
      }
      if (!m.adapters.empty()) {
        o.llm = true;
        o.adapter = m.adapters[static_cast<std::size_t>(i) % m.adapters.size()];
        if (o.ok()) {
          o.e2e = o.latency;
          o.ttft = std::chrono::nanoseconds{static_cast<std::int64_t>(static_cast<double>(o.latency.count()) * m.ttft_share)};
        }
      }
      // Starts ordered within the window, so that each adapter's first sight is its first request.
      r.file(m.request_name, o, std::chrono::seconds{w} + std::chrono::microseconds{i}, static_cast<std::size_t>(w));
    }
  }
  return r;
}

}  // namespace loadgate::bench
