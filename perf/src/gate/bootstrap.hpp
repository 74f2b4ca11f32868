#pragma once
// A paired block bootstrap of a metric's change between baseline and current runs. Every run has
// the same block positions (the same planned seconds); each replicate draws as many positions as
// there are, with replacement, takes the blocks at those positions from every run of both sides,
// merges each side and reads the metric from the merged metric_tally — so percentiles are always read
// from merged histograms, never averaged, and a staged run's mix of quiet and busy seconds is the
// same on both sides of every replicate, as it is in the plan.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "loadgate/gate/metric.hpp"

namespace loadgate::gate_detail {

using runs_of_blocks = std::vector<std::vector<metric_tally>>;

// The transform the gate works in: log(value) for relative changes (so that a ratio becomes a
// difference), the value itself for absolute ones.
double transformed(const metric& m, double value);

struct bootstrap_estimate {
  double low = 0;   // alpha/2 quantile of the change (transformed current − transformed baseline)
  double high = 0;  // 1 − alpha/2 quantile
  // Variance of the change across replicates. Not the sum of each side's variance: drawing more
  // busy seconds moves both sides alike, and the pairing cancels it.
  double change_variance = 0;
  std::size_t valid = 0;  // replicates with a usable value on both sides
};

// Every run of both sides must have the same number of blocks (at least one).
bootstrap_estimate bootstrap_change(const metric& m, const runs_of_blocks& baseline, const runs_of_blocks& current,
                                    double alpha, std::size_t replicates, std::uint64_t seed);

// One side alone: the variance of the metric's transformed value over replicates that draw blocks
// with replacement (every block of `blocks` is one observation; the capacity search's repeated runs
// at one load are independent, so their blocks are pooled, not paired). `valid` as above.
struct bootstrap_spread {
  double variance = 0;
  std::size_t valid = 0;
};
bootstrap_spread bootstrap_value(const metric& m, const std::vector<metric_tally>& blocks, std::size_t replicates,
                                 std::uint64_t seed);

}  // namespace loadgate::gate_detail
