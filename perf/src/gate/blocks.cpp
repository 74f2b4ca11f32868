#include "gate/blocks.hpp"

#include <algorithm>
#include <cmath>

namespace loadgate::gate_detail {

std::size_t planned_windows(const result& r, std::size_t available) {
  const auto planned = r.info.planned_duration / time_series::window_length;
  if (planned > 0) return std::min(available, static_cast<std::size_t>(planned));
  return available > 0 ? available - 1 : 0;
}

namespace {

double median_requests(const std::vector<metric_tally>& windows, std::size_t end) {
  std::vector<std::uint64_t> counts;
  counts.reserve(end);
  for (std::size_t i = 0; i < end; ++i) counts.push_back(windows[i].count);
  if (counts.empty()) return 0;
  const auto middle = counts.begin() + static_cast<std::ptrdiff_t>(counts.size() / 2);
  std::nth_element(counts.begin(), middle, counts.end());
  return static_cast<double>(*middle);
}

double samples_needed(const metric& m) {
  switch (m.statistic) {
    case statistic::percentile: return 10 / std::max(1 - m.percent / 100, 0.001);
    case statistic::maximum: return 100;
    case statistic::mean: return 20;
    case statistic::minimum:  // server metrics only, which the gate does not judge
    case statistic::rate:
    case statistic::per_second: return 1;
  }
  return 1;
}

}  // namespace

window_range steady_windows(const result& r, const std::vector<metric_tally>& windows, std::chrono::seconds warmup) {
  window_range range;
  range.end = planned_windows(r, windows.size());
  const double threshold = 0.9 * median_requests(windows, range.end);
  while (range.begin < range.end && static_cast<double>(windows[range.begin].count) < threshold) ++range.begin;
  range.begin = std::max(range.begin, static_cast<std::size_t>(warmup / time_series::window_length));
  range.begin = std::min(range.begin, range.end);
  return range;
}

std::size_t block_windows(const metric& m, const std::vector<metric_tally>& windows, window_range range,
                          std::size_t min_windows) {
  if (range.size() == 0) return std::max<std::size_t>(min_windows, 1);
  double samples = 0;
  for (std::size_t i = range.begin; i < range.end; ++i) samples += static_cast<double>(observe(m, windows[i]).samples);
  const double per_window = samples / static_cast<double>(range.size());
  std::size_t k = std::max<std::size_t>(min_windows, 1);
  if (per_window > 0) k = std::max(k, static_cast<std::size_t>(std::ceil(samples_needed(m) / per_window)));
  return std::max<std::size_t>(1, std::min(k, range.size() / 4));
}

std::vector<metric_tally> make_blocks(const std::vector<metric_tally>& windows, window_range range, std::size_t k) {
  std::vector<metric_tally> blocks;
  for (std::size_t start = range.begin; k > 0 && start + k <= range.end; start += k) {
    metric_tally b;
    for (std::size_t i = start; i < start + k; ++i) b.merge(windows[i]);
    blocks.push_back(std::move(b));
  }
  return blocks;
}

}  // namespace loadgate::gate_detail
