// The acceptance test of the histogram: percentiles of 10^6 samples within 0.1 % of the exact
// (nearest-rank) percentiles, and merging per-thread histograms is exact.
#include "loadgate/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace loadgate {
namespace {

constexpr std::size_t sample_count = 1'000'000;
constexpr double percentiles[] = {50, 90, 95, 99, 99.9};

std::int64_t clamp_us(double v) { return std::clamp<std::int64_t>(std::llround(v), 100, 10'000'000); }

// Latencies in µs between 100 µs and 10 s.
std::vector<std::int64_t> uniform_samples() {
  std::mt19937_64 rng{1};
  std::uniform_int_distribution<std::int64_t> d{100, 10'000'000};
  std::vector<std::int64_t> v(sample_count);
  for (auto& x : v) x = d(rng);
  return v;
}

std::vector<std::int64_t> log_normal_samples() {
  std::mt19937_64 rng{2};
  std::lognormal_distribution<double> d{std::log(20'000.0), 1.0};  // median 20 ms
  std::vector<std::int64_t> v(sample_count);
  for (auto& x : v) x = clamp_us(d(rng));
  return v;
}

// 70 % around 5 ms, 29 % around 200 ms, 1 % spread log-uniformly over 1..10 s.
std::vector<std::int64_t> bimodal_far_tail_samples() {
  std::mt19937_64 rng{3};
  std::uniform_real_distribution<double> pick{0, 1};
  std::normal_distribution<double> fast{5'000, 500}, slow{200'000, 20'000};
  std::uniform_real_distribution<double> tail{std::log(1e6), std::log(1e7)};
  std::vector<std::int64_t> v(sample_count);
  for (auto& x : v) {
    const double p = pick(rng);
    x = clamp_us(p < 0.70 ? fast(rng) : p < 0.99 ? slow(rng) : std::exp(tail(rng)));
  }
  return v;
}

std::int64_t exact_percentile(const std::vector<std::int64_t>& sorted, double percent) {
  const auto rank = static_cast<std::size_t>(std::ceil(percent / 100 * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

void expect_percentiles_match(std::vector<std::int64_t> samples) {
  histogram h;
  for (const auto v : samples) h.record(v);
  std::sort(samples.begin(), samples.end());
  EXPECT_EQ(h.count(), samples.size());
  EXPECT_EQ(h.min(), samples.front());
  EXPECT_EQ(h.max(), samples.back());
  long double sum = 0;
  for (const auto v : samples) sum += v;
  EXPECT_DOUBLE_EQ(h.mean(), static_cast<double>(sum / samples.size()));
  for (const double p : percentiles) {
    const auto exact = exact_percentile(samples, p);
    const auto got = h.value_at_percentile(p);
    EXPECT_LE(std::abs(static_cast<double>(got - exact)) / static_cast<double>(exact), 0.001)
        << "p" << p << ": histogram " << got << " vs exact " << exact;
    EXPECT_GE(got, exact) << "p" << p << " under-reported";
  }
}

TEST(HistogramAccuracy, UniformWithin0_1Percent) { expect_percentiles_match(uniform_samples()); }
TEST(HistogramAccuracy, LogNormalWithin0_1Percent) { expect_percentiles_match(log_normal_samples()); }
TEST(HistogramAccuracy, BimodalWithFarTailWithin0_1Percent) { expect_percentiles_match(bimodal_far_tail_samples()); }

TEST(HistogramAccuracy, MergedPerThreadHistogramsEqualOneHistogramOfAllSamples) {
  const auto samples = bimodal_far_tail_samples();
  histogram all;
  std::vector<histogram> per_thread(4);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    all.record(samples[i]);
    per_thread[i % 4].record(samples[i]);
  }
  histogram merged;
  for (const auto& h : per_thread) merged.merge(h);
  EXPECT_EQ(merged, all);
  for (const double p : percentiles) EXPECT_EQ(merged.value_at_percentile(p), all.value_at_percentile(p)) << p;
  EXPECT_EQ(merged.mean(), all.mean());
}

TEST(HistogramAccuracy, MergingShardsIsNotAveragingPercentiles) {
  // Two shards, one slow: the merged p95 is the p95 of the pooled samples, far from the average
  // of the shards' p95s. This is why results carry histograms.
  histogram fast, slow, pooled;
  for (std::int64_t v = 1; v <= 1000; ++v) {
    fast.record(v * 10);
    slow.record(v * 1000);
    pooled.record(v * 10);
    pooled.record(v * 1000);
  }
  histogram merged = fast;
  merged.merge(slow);
  EXPECT_EQ(merged.value_at_percentile(95), pooled.value_at_percentile(95));
  const double averaged = (fast.value_at_percentile(95) + slow.value_at_percentile(95)) / 2.0;
  EXPECT_GT(std::abs(merged.value_at_percentile(95) - averaged) / averaged, 0.3);
}

}  // namespace
}  // namespace loadgate
