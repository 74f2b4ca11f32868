#pragma once
// Turning a run's one-second windows into replicates for the gate: trim the ramp-up, the warm-up
// and the drain, then merge k adjacent windows into a block. Blocks are what the rank test and
// the bootstrap treat as (nearly) independent observations.
#include <chrono>
#include <cstddef>
#include <vector>

#include "loadgate/gate/metric.hpp"
#include "loadgate/result.hpp"

namespace loadgate::gate_detail {

struct window_range {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end > begin ? end - begin : 0; }
};

// How many of `available` windows the planned duration covers: its whole windows (the grace period
// only drains in-flight requests, at falling load), or all but the last when the plan is unknown
// (that one is partial).
std::size_t planned_windows(const result& r, std::size_t available);

// [begin, end) of the windows in steady state:
//  - end: planned_windows(r, windows.size());
//  - begin: the first window whose completed requests reach 90 % of the median window (the
//    ramp-up of users or arrivals is over), and never before `warmup`.
window_range steady_windows(const result& r, const std::vector<metric_tally>& windows, std::chrono::seconds warmup);

// Windows per block: enough that each block holds the samples its statistic needs (10 / (1 − q)
// for a q-quantile: 200 for p95, 1000 for p99), at least min_windows, and at most a quarter of the
// steady range so that a run gives four blocks or more.
std::size_t block_windows(const metric& m, const std::vector<metric_tally>& windows, window_range range,
                          std::size_t min_windows);

// Merges windows [begin + i k, begin + (i+1) k); a trailing partial block is dropped.
std::vector<metric_tally> make_blocks(const std::vector<metric_tally>& windows, window_range range, std::size_t k);

}  // namespace loadgate::gate_detail
