#pragma once
// A stratified block bootstrap of a metric's change between baseline and current runs: each
// replicate draws, within every run, as many blocks as it has (with replacement), merges them,
// and reads the metric from the merged tally — so percentiles are always read from merged
// histograms, never averaged.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "loadgate/gate/metric.hpp"

namespace loadgate::gate_detail {

using runs_of_blocks = std::vector<std::vector<tally>>;

// The transform the gate works in: log(value) for relative changes (so that a ratio becomes a
// difference), the value itself for absolute ones.
double transformed(const metric& m, double value);

struct bootstrap_estimate {
  double low = 0;   // alpha/2 quantile of the change (transformed current − transformed baseline)
  double high = 0;  // 1 − alpha/2 quantile
  double baseline_variance = 0;  // of the transformed baseline value across replicates
  double current_variance = 0;
  std::size_t valid = 0;  // replicates with a usable value on both sides
};

bootstrap_estimate bootstrap_change(const metric& m, const runs_of_blocks& baseline, const runs_of_blocks& current,
                                    double alpha, std::size_t replicates, std::uint64_t seed);

}  // namespace loadgate::gate_detail
