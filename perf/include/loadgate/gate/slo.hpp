#pragma once
// Absolute service-level objectives: `p95("generate") < 450ms`, `failure_rate() < 1_percent`,
// `throughput() >= 50.0`. An SLO over zero samples fails ("no samples"); it never passes
// vacuously (k6#4283 is the counter-example).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "loadgate/gate/metric.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

enum class comparison : std::uint8_t { less, less_equal, greater, greater_equal };

// A rate limit, as a fraction: percent(1) and 1_percent are 0.01.
struct rate_limit {
  double fraction = 0;
};
constexpr rate_limit percent(double p) { return {p / 100}; }

namespace literals {
constexpr rate_limit operator""_percent(long double p) { return percent(static_cast<double>(p)); }
constexpr rate_limit operator""_percent(unsigned long long p) { return percent(static_cast<double>(p)); }
}  // namespace literals
using namespace literals;

struct slo {
  loadgate::metric metric;
  comparison op = comparison::less;
  double limit = 0;  // in the metric's unit (µs, fraction, per second)

  std::string description() const;  // "p95 latency (generate) < 450.0 ms"
  bool holds(double value) const;    // value, in the metric's unit, is on the allowed side of the limit
  bool operator==(const slo&) const = default;
};

// The outcome of one SLO on one result.
struct slo_check {
  loadgate::slo slo;
  metric_value actual;
  std::optional<double> baseline;  // the metric's value in the baseline, when one was given
  bool met = false;                // false whenever actual.samples == 0

  // "p95 latency (generate) = 512.3 ms, limit < 450.0 ms, 1234 samples, baseline 430.1 ms"
  // or "p95 latency (generate): no samples (why), limit < 450.0 ms".
  std::string message() const;
};

slo_check check(const slo& s, const result& r, const result* baseline = nullptr);

// ---- builders --------------------------------------------------------------------------------
// The limit's type must suit the metric: a duration for latency-like metrics, a rate_limit for
// rates, a plain number (per second) for throughput and goodput; otherwise configuration_error.

slo make_slo(metric m, comparison op, double limit, metric_unit limit_unit);

template <class Rep, class Period>
slo make_slo(metric m, comparison op, std::chrono::duration<Rep, Period> d) {
  return make_slo(std::move(m), op, std::chrono::duration<double, std::micro>(d).count(), metric_unit::microseconds);
}
inline slo make_slo(metric m, comparison op, rate_limit r) {
  return make_slo(std::move(m), op, r.fraction, metric_unit::fraction);
}
inline slo make_slo(metric m, comparison op, double per_second) {
  return make_slo(std::move(m), op, per_second, metric_unit::per_second);
}

template <class Limit>
slo operator<(metric m, Limit limit) { return make_slo(std::move(m), comparison::less, limit); }
template <class Limit>
slo operator<=(metric m, Limit limit) { return make_slo(std::move(m), comparison::less_equal, limit); }
template <class Limit>
slo operator>(metric m, Limit limit) { return make_slo(std::move(m), comparison::greater, limit); }
template <class Limit>
slo operator>=(metric m, Limit limit) { return make_slo(std::move(m), comparison::greater_equal, limit); }

}  // namespace loadgate
