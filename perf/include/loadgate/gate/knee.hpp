#pragma once
// Knees of a staged or ramp run: the load at which latency leaves its floor and the load at which
// throughput stops growing. Method and criteria: perf/src/gate/README.md, "Knees".
//
// The load axis is the number of users (closed model). Each load level pools the one-second
// windows that ran at that number of users; a two-segment piecewise-linear least-squares fit of
// p50 latency, and one of throughput, against users puts a hinge where two straight lines fit
// best, and a criterion says whether the change of slope there is a knee:
//
//  - latency knee: slope_after ≥ 2 × max(slope_before, 0), slope_after > 0, and the rise the
//    bend adds by the highest load, (slope_after − slope_before) × (highest load − knee), is at
//    least 10 % of the fitted latency at the knee;
//  - throughput knee: slope_before > 0 and slope_after ≤ 0.25 × slope_before.
//
// At least 5 load levels are needed. Open-model runs are not analysed (found = false, with why):
// their load is the arrival rate, which the result does not record per window, and the requests
// in flight at a window's end are one instant's count, not a level the run held.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/result.hpp"

namespace loadgate {

// The thresholds of the criteria above, for messages and tests.
struct knee_criteria {
  static constexpr std::size_t min_levels = 5;            // a hinge needs 2 levels on each side of a third
  static constexpr std::uint64_t min_level_samples = 20;  // fewer successful requests: its p50 is noise
  static constexpr double latency_slope_ratio = 2;        // slope after ≥ this × slope before
  static constexpr double latency_min_rise = 0.10;        // of the fitted latency at the knee
  static constexpr double throughput_slope_ratio = 0.25;  // slope after ≤ this × slope before
};

// One load the run held, pooled over its windows.
struct load_level {
  double load = 0;            // users; a window inside a continuous ramp counts at its mean
  std::size_t windows = 0;    // one-second windows pooled
  std::uint64_t samples = 0;  // successful requests (p50 latency's samples)
  double p50_latency_us = 0;  // of successful requests
  double throughput = 0;      // completed requests (successes and failures) per second
};

// y = intercept + slope_before·x + (slope_after − slope_before)·max(0, x − knee): two lines that
// meet at the knee, fitted by least squares with the knee chosen to minimise the squared error.
struct two_segment_fit {
  bool ok = false;  // false: fewer than 5 distinct x, or the x values cannot support a hinge
  double knee = 0;
  double intercept = 0;
  double slope_before = 0;
  double slope_after = 0;
  double sse = 0;  // sum of squared residuals

  double at(double x) const;  // the fitted value
};

// Candidate knees: every distinct x, and 15 evenly spaced points between each pair of adjacent
// ones (a step run's saturation rarely falls on a step), that have at least 2 points below and 2
// above; the one with the smallest squared error wins. Points are weighted equally. Throws
// std::invalid_argument when x and y differ in size.
two_segment_fit fit_two_segments(std::span<const double> x, std::span<const double> y);

struct knee {
  bool found = false;
  double load = 0;  // users, when found
  std::string why;  // the evidence for or against, in one sentence, always set
};

// The criteria applied to fits; `highest_load` is the largest x the fit saw.
knee latency_knee(const two_segment_fit& fit, double highest_load);
knee throughput_knee(const two_segment_fit& fit);

struct knee_analysis {
  std::vector<load_level> levels;  // by load, ascending
  two_segment_fit latency_fit;     // p50 latency (µs) against users
  two_segment_fit throughput_fit;  // requests per second against users
  knee latency;
  knee throughput;
};

// The levels of a closed-model run, by load. Windows left out: those before the first request
// completed; the first window of a level the run then held (the requests completing in it were
// mostly sent at the previous level); windows past the planned duration (the grace period drains
// in-flight requests at falling load; with no plan, the last, partial window). Levels with fewer
// than knee_criteria::min_level_samples successful requests are dropped. Empty for open-model runs.
std::vector<load_level> load_levels(const result& r);

knee_analysis find_knees(const result& r);
knee_analysis find_knees(std::vector<load_level> levels);

// Whether a knee analysis means anything for this run: the scenario had stages (when the result
// records its configuration), else the run held at least 3 load levels. A constant-load scenario's
// spawn ramp does not count when the configuration says so.
bool has_load_stages(const result& r);

// {"load_axis": "users", "method": "...", "latency": {"found", "load" (null unless found), "why",
//  "fit": {...}}, "throughput": {...}, "levels": [{"users", "windows", "samples", "latency_p50_ms",
//  "requests_per_second"}]}; the latency fit in ms, the throughput fit in requests per second.
void to_json(nlohmann::json& j, const knee_analysis& k);

}  // namespace loadgate
