#include "gate/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "gate/statistics.hpp"

namespace loadgate::gate_detail {

namespace {

constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

// A block with its histogram as (index into a shared value table, count) pairs: merging blocks is
// then adding counts into one dense array, thousands of times faster than merging histograms.
struct sparse_block {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> buckets;
  std::uint64_t events = 0;
  std::uint64_t count = 0;
  double seconds = 0;
};

class resampler {
 public:
  resampler(const metric& m, const runs_of_blocks& baseline, const runs_of_blocks& current) : metric_{m} {
    for (const auto* side : {&baseline, &current})
      for (const auto& run : *side)
        for (const auto& b : run) b.distribution.for_each_bucket([&](std::int64_t v, std::uint64_t) { values_.push_back(v); });
    std::sort(values_.begin(), values_.end());
    values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
    baseline_ = sparse(baseline);
    current_ = sparse(current);
    counts_.resize(values_.size());
  }

  double baseline_at(const std::vector<std::size_t>& drawn) { return merged_at(baseline_, drawn); }
  double current_at(const std::vector<std::size_t>& drawn) { return merged_at(current_, drawn); }

 private:
  std::vector<std::vector<sparse_block>> sparse(const runs_of_blocks& side) const {
    std::vector<std::vector<sparse_block>> out;
    for (const auto& run : side) {
      auto& blocks = out.emplace_back();
      for (const auto& b : run) {
        sparse_block s{{}, b.events, b.count, b.seconds};
        b.distribution.for_each_bucket([&](std::int64_t v, std::uint64_t c) {
          const auto at = std::lower_bound(values_.begin(), values_.end(), v) - values_.begin();
          s.buckets.emplace_back(static_cast<std::uint32_t>(at), c);
        });
        blocks.push_back(std::move(s));
      }
    }
    return out;
  }

  // Every run's blocks at the drawn positions, merged.
  double merged_at(const std::vector<std::vector<sparse_block>>& side, const std::vector<std::size_t>& drawn) {
    std::fill(counts_.begin(), counts_.end(), 0);
    std::uint64_t samples = 0, events = 0, count = 0;
    double seconds = 0;
    for (const auto& run : side) {
      for (const auto position : drawn) {
        const auto& b = run[position];
        for (const auto& [index, c] : b.buckets) counts_[index] += c, samples += c;
        events += b.events, count += b.count, seconds += b.seconds;
      }
    }
    return statistic_of(samples, events, count, seconds);
  }

  double statistic_of(std::uint64_t samples, std::uint64_t events, std::uint64_t count, double seconds) const {
    switch (metric_.statistic) {
      case statistic::percentile: {
        if (samples == 0) return no_value;
        const auto rank = std::max<std::uint64_t>(
            1, static_cast<std::uint64_t>(std::ceil(metric_.percent / 100 * static_cast<double>(samples))));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < counts_.size(); ++i)
          if ((seen += counts_[i]) >= rank) return static_cast<double>(values_[i]);
        return static_cast<double>(values_.back());
      }
      case statistic::maximum:
        for (std::size_t i = counts_.size(); i-- > 0;)
          if (counts_[i]) return static_cast<double>(values_[i]);
        return no_value;
      case statistic::mean: {
        if (samples == 0) return no_value;
        double sum = 0;
        for (std::size_t i = 0; i < counts_.size(); ++i) sum += static_cast<double>(values_[i]) * static_cast<double>(counts_[i]);
        return sum / static_cast<double>(samples);
      }
      case statistic::minimum: return no_value;  // server metrics only, which the gate does not judge
      case statistic::rate: return count ? static_cast<double>(events) / static_cast<double>(count) : no_value;
      case statistic::per_second: {
        const auto numerator = metric_.family == metric_family::goodput ? events : count;
        return seconds > 0 ? static_cast<double>(numerator) / seconds : no_value;
      }
    }
    return no_value;
  }

  const metric& metric_;
  std::vector<std::int64_t> values_;
  std::vector<std::vector<sparse_block>> baseline_, current_;
  std::vector<std::uint64_t> counts_;
};

double quantile(std::vector<double>& sorted, double q) {
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const auto above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double variance(const std::vector<double>& xs) {
  if (xs.size() < 2) return 0;
  double mean = 0;
  for (const double x : xs) mean += x;
  mean /= static_cast<double>(xs.size());
  double ss = 0;
  for (const double x : xs) ss += (x - mean) * (x - mean);
  return ss / static_cast<double>(xs.size() - 1);
}

}  // namespace

double transformed(const metric& m, double value) {
  if (m.scale() == change_scale::absolute) return value;
  return value > 0 ? std::log(value) : no_value;
}

bootstrap_estimate bootstrap_change(const metric& m, const runs_of_blocks& baseline, const runs_of_blocks& current,
                                    double alpha, std::size_t replicates, std::uint64_t seed) {
  const auto positions = baseline.empty() ? 0 : baseline.front().size();
  for (const auto* side : {&baseline, &current})
    for (const auto& run : *side)
      if (run.size() != positions || positions == 0)
        throw std::logic_error{"bootstrap_change: every run needs the same, non-zero number of blocks"};
  resampler sampler{m, baseline, current};
  gate_statistics::random rng{seed};
  std::vector<double> changes;
  std::vector<std::size_t> drawn(positions);
  for (std::size_t i = 0; i < replicates; ++i) {
    for (auto& position : drawn) position = rng.below(drawn.size());
    const double b = transformed(m, sampler.baseline_at(drawn));
    const double c = transformed(m, sampler.current_at(drawn));
    if (std::isnan(b) || std::isnan(c)) continue;
    changes.push_back(c - b);
  }
  bootstrap_estimate e;
  e.valid = changes.size();
  if (changes.empty()) return e;
  e.change_variance = variance(changes);
  std::sort(changes.begin(), changes.end());
  e.low = quantile(changes, alpha / 2);
  e.high = quantile(changes, 1 - alpha / 2);
  return e;
}

bootstrap_spread bootstrap_value(const metric& m, const std::vector<metric_tally>& blocks, std::size_t replicates,
                                 std::uint64_t seed) {
  bootstrap_spread spread;
  if (blocks.empty()) return spread;
  const runs_of_blocks side{blocks};
  resampler sampler{m, side, {}};
  gate_statistics::random rng{seed};
  std::vector<double> values;
  std::vector<std::size_t> drawn(blocks.size());
  for (std::size_t i = 0; i < replicates; ++i) {
    for (auto& position : drawn) position = rng.below(drawn.size());
    const double v = transformed(m, sampler.baseline_at(drawn));
    if (!std::isnan(v)) values.push_back(v);
  }
  spread.valid = values.size();
  spread.variance = variance(values);
  return spread;
}

}  // namespace loadgate::gate_detail
