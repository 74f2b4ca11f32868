#include "loadgate/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace loadgate {
namespace {

using namespace std::chrono_literals;

TEST(Histogram, EmptyReportsZeros) {
  const histogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.value_at_percentile(99), 0);
  EXPECT_EQ(h.allocated_bytes(), 0u);
}

TEST(Histogram, MinMaxAndMeanAreExact) {
  histogram h;
  for (std::int64_t v : {std::int64_t{123'457}, std::int64_t{7}, std::int64_t{3'599'999'999}, std::int64_t{2049}}) h.record(v);
  h.record(1000, 4);
  EXPECT_EQ(h.count(), 8u);
  EXPECT_EQ(h.min(), 7);
  EXPECT_EQ(h.max(), 3'599'999'999);
  EXPECT_EQ(h.sum(), 123'457u + 7u + 3'599'999'999u + 2049u + 4000u);
  EXPECT_DOUBLE_EQ(h.mean(), (123'457.0 + 7 + 3'599'999'999.0 + 2049 + 4000) / 8);
}

TEST(Histogram, OutOfRangeValuesAreClampedAndSaturationCounted) {
  histogram h;
  h.record(0);
  h.record(-5);
  h.record(histogram::highest_trackable + 1, 3);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), histogram::highest_trackable);
  EXPECT_EQ(h.saturated(), 3u);
  EXPECT_EQ(h.count(), 5u);
  EXPECT_EQ(h.value_at_percentile(100), histogram::highest_trackable);
  EXPECT_EQ(h.value_at_percentile(0), 1);
}

TEST(Histogram, DurationsAreRoundedToTheNearestMicrosecond) {
  histogram h;
  h.record(1499ns);
  EXPECT_EQ(h.max(), 1);
  h.record(1500ns);
  EXPECT_EQ(h.max(), 2);
  h.record(250ms);
  EXPECT_EQ(h.max(), 250'000);
  EXPECT_EQ(h.duration_at_percentile(100), 250ms);
}

TEST(Histogram, BucketsHaveThreeSignificantDigits) {
  // Log-spaced values over the whole range, and every value near each power of two.
  std::vector<std::int64_t> values;
  for (double v = 1; v <= histogram::highest_trackable; v *= 1.0137) values.push_back(static_cast<std::int64_t>(v));
  for (int p = 1; p < 32; ++p)
    for (std::int64_t d = -2; d <= 2; ++d) values.push_back((std::int64_t{1} << p) + d);
  for (const auto v : values) {
    if (v < 1 || v > histogram::highest_trackable) continue;
    const auto lo = histogram::lowest_equivalent(v), hi = histogram::highest_equivalent(v);
    ASSERT_LE(lo, v);
    ASSERT_GE(hi, v);
    ASSERT_LE(static_cast<double>(hi - lo + 1), std::max(1.0, static_cast<double>(v) / 1024)) << v;
    if (v < 2048) {
      ASSERT_EQ(lo, hi) << "values below 2048 are exact: " << v;
    }
  }
}

TEST(Histogram, ASingleValueIsReportedExactlyAtEveryPercentile) {
  histogram h;
  h.record(1'234'567);
  for (double p : {0.0, 50.0, 99.9, 100.0}) EXPECT_EQ(h.value_at_percentile(p), 1'234'567);
}

TEST(Histogram, PercentileRankIsTheCeilingOfTheShare) {
  histogram h;
  for (std::int64_t v = 1; v <= 1000; ++v) h.record(v);  // exact below 2048
  EXPECT_EQ(h.value_at_percentile(50), 500);
  EXPECT_EQ(h.value_at_percentile(50.01), 501);
  EXPECT_EQ(h.value_at_percentile(99.9), 999);  // 999.0000000000001 in floating point
  EXPECT_EQ(h.value_at_percentile(0), 1);
  EXPECT_EQ(h.value_at_percentile(100), 1000);
  EXPECT_EQ(h.value_at_percentile(150), 1000);  // clamped to [0, 100]
  EXPECT_EQ(h.value_at_percentile(-3), 1);
  EXPECT_EQ(h.value_at_percentile(std::nan("")), 1);
}

TEST(Histogram, PercentilesNeverUnderReport) {
  histogram h;
  h.record(1'000'001, 10);  // its bucket is [999'936, 1'000'447]
  h.record(5'000'000);
  EXPECT_GE(h.value_at_percentile(50), 1'000'001);
  EXPECT_LE(h.value_at_percentile(50), histogram::highest_equivalent(1'000'001));
}

TEST(Histogram, ForEachBucketVisitsNonEmptyBucketsInOrder) {
  histogram h;
  h.record(5, 2);
  h.record(3);
  h.record(1'000'000, 4);
  std::vector<std::pair<std::int64_t, std::uint64_t>> seen;
  h.for_each_bucket([&](std::int64_t v, std::uint64_t c) { seen.emplace_back(v, c); });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (std::pair<std::int64_t, std::uint64_t>{3, 1}));
  EXPECT_EQ(seen[1], (std::pair<std::int64_t, std::uint64_t>{5, 2}));
  EXPECT_EQ(seen[2].first, 1'000'000);  // clamped to max
  EXPECT_EQ(seen[2].second, 4u);
}

TEST(Histogram, SegmentsAreAllocatedOnlyForMagnitudesInUse) {
  histogram h;
  for (std::int64_t v = 1000; v <= 8000; ++v) h.record(v);  // segments 0..3: 1000-1023, then 3 powers of two
  EXPECT_LE(h.allocated_bytes(), 4 * 8192u + 23 * sizeof(void*));
  EXPECT_GE(h.allocated_bytes(), 4 * 8192u);
  h.record(3'000'000'000);
  EXPECT_LE(h.allocated_bytes(), 5 * 8192u + 23 * sizeof(void*));
}

TEST(Histogram, CopiesAreDeepAndMovesTransfer) {
  histogram a;
  a.record(42'000, 3);
  histogram b = a;
  b.record(42'000);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(b.count(), 4u);
  EXPECT_NE(a, b);
  b = a;
  EXPECT_EQ(a, b);
  histogram c = std::move(b);
  EXPECT_EQ(c, a);
  c.clear();
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c, histogram{});
  EXPECT_EQ(c.allocated_bytes(), 0u);
}

TEST(Histogram, EqualityIgnoresAllocationButNotCounts) {
  histogram a, b;
  a.record(5);
  b.record(5);
  b.record(2'000'000);
  histogram c;
  c.record(5);
  c.merge(histogram{});  // merging an empty histogram changes nothing
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b);
  histogram d;
  d.record(6);
  EXPECT_NE(a, d);
}

TEST(Histogram, MergeAddsCountsAndCombinesExtremes) {
  histogram a, b;
  a.record(10, 2);
  b.record(3);
  b.record(histogram::highest_trackable + 9);
  a.merge(b);
  EXPECT_EQ(a.count(), 4u);
  EXPECT_EQ(a.min(), 3);
  EXPECT_EQ(a.max(), histogram::highest_trackable);
  EXPECT_EQ(a.saturated(), 1u);
  EXPECT_EQ(a.sum(), 23u + static_cast<std::uint64_t>(histogram::highest_trackable));
  histogram empty;
  empty.merge(b);
  EXPECT_EQ(empty, b);
}

// ---- sparse storage: a histogram of few buckets keeps them as a sorted list -------------------

// Distinct values, one bucket each (exact below 2048 µs; here 3-digit buckets further up).
std::vector<std::int64_t> distinct_latencies(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng{seed};
  std::lognormal_distribution<double> d{std::log(80'000.0), 1.0};
  std::vector<std::int64_t> values;
  std::vector<std::int64_t> buckets;
  while (values.size() < n) {
    const auto v = std::clamp<std::int64_t>(static_cast<std::int64_t>(d(rng)), 1, histogram::highest_trackable);
    const auto b = histogram::lowest_equivalent(v);
    if (std::find(buckets.begin(), buckets.end(), b) != buckets.end()) continue;
    buckets.push_back(b);
    values.push_back(v);
  }
  return values;
}

std::size_t bucket_count(const histogram& h) {
  std::size_t n = 0;
  h.for_each_bucket([&](std::int64_t, std::uint64_t) { ++n; });
  return n;
}

// What value_at_percentile must say, from the samples themselves (HdrHistogram's rule: the
// highest equivalent value of the sample at rank ceil(p·n), clamped to [min, max]).
std::int64_t expected_percentile(std::vector<std::int64_t> samples, double percent) {
  std::sort(samples.begin(), samples.end());
  const auto n = samples.size();
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(n) - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, n);
  return std::clamp(histogram::highest_equivalent(samples[rank - 1]), samples.front(), samples.back());
}

TEST(Histogram, AWindowSizedHistogramStaysUnder2KiB) {
  // A one-second window of one adapter's requests: some 50 samples, each in a bucket of its own.
  histogram h;
  for (const auto v : distinct_latencies(50, 1)) h.record(v);
  EXPECT_EQ(bucket_count(h), 50u);
  EXPECT_LT(h.allocated_bytes(), 2048u);
  EXPECT_GT(h.allocated_bytes(), 0u);
  // Repeats add to their buckets, not to the memory.
  const auto before = h.allocated_bytes();
  for (int i = 0; i < 1000; ++i) h.record(80'000);
  EXPECT_LE(h.allocated_bytes(), before + 64) << "one more bucket at most";
  EXPECT_LT(h.allocated_bytes(), 2048u);
  // A copy (a window handed to the progress thread, a merged shard) is as small.
  const histogram copy = h;
  EXPECT_LT(copy.allocated_bytes(), 2048u);
  EXPECT_EQ(copy, h);
  // The same 50 samples merged from five threads' windows.
  histogram merged;
  const auto values = distinct_latencies(50, 1);
  for (std::size_t t = 0; t < 5; ++t) {
    histogram thread;
    for (std::size_t i = t; i < values.size(); i += 5) thread.record(values[i]);
    merged.merge(thread);
  }
  EXPECT_LT(merged.allocated_bytes(), 2048u);
}

// The non-empty buckets as (lowest equivalent value, count): independent of min/max clamping.
std::vector<std::pair<std::int64_t, std::uint64_t>> buckets_of(const histogram& h, std::int64_t below) {
  std::vector<std::pair<std::int64_t, std::uint64_t>> out;
  h.for_each_bucket([&](std::int64_t v, std::uint64_t c) {
    if (v < below) out.emplace_back(histogram::lowest_equivalent(v), c);
  });
  return out;
}

TEST(Histogram, CrossingTheSparseLimitChangesNoFigure) {
  // 200 buckets far above the samples (1000 s and up): a histogram that is dense before any of
  // the samples arrives, so that their counts go straight into segments, as before sparse storage.
  constexpr std::int64_t far = 1'000'000'000;
  histogram dense_base;
  std::vector<std::int64_t> base_samples;
  for (std::int64_t k = 0; k < 200; ++k) {
    dense_base.record(far + k * 2'097'152);
    base_samples.push_back(far + k * 2'097'152);
  }
  ASSERT_GT(dense_base.allocated_bytes(), 8192u) << "200 buckets: dense";

  for (const std::size_t n : {std::size_t{1}, std::size_t{127}, std::size_t{128}, std::size_t{129}, std::size_t{130},
                              std::size_t{300}}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    const auto values = distinct_latencies(n, 7);
    ASSERT_LT(*std::max_element(values.begin(), values.end()), far);
    const auto count_of = [](std::size_t i) { return static_cast<std::uint64_t>(1 + i % 3); };
    std::vector<std::int64_t> samples;
    histogram shuffled;  // sparse up to 128 buckets, crossing at a random bucket beyond
    for (std::size_t i = 0; i < values.size(); ++i) {
      shuffled.record(values[i], count_of(i));
      samples.insert(samples.end(), count_of(i), values[i]);
    }
    std::vector<std::size_t> order(values.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    histogram increasing, decreasing;  // crossing at the top or at the bottom of the range
    for (const auto i : order) increasing.record(values[i], count_of(i));
    for (auto it = order.rbegin(); it != order.rend(); ++it) decreasing.record(values[*it], count_of(*it));
    auto dense_first = dense_base;
    for (std::size_t i = 0; i < values.size(); ++i) dense_first.record(values[i], count_of(i));

    EXPECT_EQ(bucket_count(shuffled), n);
    if (n <= 128) {
      EXPECT_LE(shuffled.allocated_bytes(), 2048u) << "still sparse";
    }
    EXPECT_EQ(increasing, shuffled);
    EXPECT_EQ(decreasing, shuffled);
    for (const double p : {0.0, 1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0}) {
      EXPECT_EQ(shuffled.value_at_percentile(p), expected_percentile(samples, p)) << p;
      EXPECT_EQ(increasing.value_at_percentile(p), expected_percentile(samples, p)) << p;
      EXPECT_EQ(decreasing.value_at_percentile(p), expected_percentile(samples, p)) << p;
    }
    const nlohmann::json j = shuffled;
    EXPECT_EQ(nlohmann::json(increasing), j);
    EXPECT_EQ(nlohmann::json(decreasing), j);
    const auto back = nlohmann::json::parse(j.dump()).get<histogram>();
    EXPECT_EQ(back, shuffled);
    EXPECT_EQ(nlohmann::json(back), j);

    // Against dense storage: the same buckets and counts, the same runs in JSON, and merging the
    // sparse histogram either way gives the dense one exactly.
    EXPECT_EQ(buckets_of(dense_first, far), buckets_of(shuffled, far));
    const auto dense_runs = nlohmann::json(dense_first).at("counts");
    const auto& sparse_runs = j.at("counts");
    ASSERT_GE(dense_runs.size(), sparse_runs.size());
    for (std::size_t r = 0; r < sparse_runs.size(); ++r) EXPECT_EQ(dense_runs[r], sparse_runs[r]) << "run " << r;
    auto dense_merged = dense_base;
    dense_merged.merge(shuffled);
    auto sparse_merged = shuffled;
    sparse_merged.merge(dense_base);
    EXPECT_EQ(dense_merged, dense_first);
    EXPECT_EQ(sparse_merged, dense_first);
    EXPECT_EQ(nlohmann::json(dense_merged), nlohmann::json(dense_first));
    EXPECT_EQ(nlohmann::json(sparse_merged), nlohmann::json(dense_first));
    auto everything = samples;
    everything.insert(everything.end(), base_samples.begin(), base_samples.end());
    for (const double p : {0.0, 10.0, 50.0, 99.0, 100.0})
      EXPECT_EQ(sparse_merged.value_at_percentile(p), expected_percentile(everything, p)) << p;
  }
}

TEST(Histogram, PastTheSparseLimitOnlySegmentsAreHeld) {
  // 129 exact values below 1024: one segment. The sorted list is given up, memory included.
  histogram h;
  for (std::int64_t v = 1; v <= 128; ++v) h.record(v);
  EXPECT_LE(h.allocated_bytes(), 128 * 16u) << "128 buckets: still sparse";
  h.record(129);
  EXPECT_GE(h.allocated_bytes(), 8192u) << "dense";
  EXPECT_LE(h.allocated_bytes(), 8192u + 23 * sizeof(void*)) << "one segment and the segment table, no sparse list";
  EXPECT_EQ(bucket_count(h), 129u);
}

TEST(Histogram, SparseAndDenseHistogramsMergeExactlyEitherWay) {
  const auto many = distinct_latencies(600, 3);
  const auto few = distinct_latencies(40, 4);
  histogram dense, sparse, all;
  for (const auto v : many) {
    dense.record(v, 2);
    all.record(v, 2);
  }
  for (const auto v : few) {
    sparse.record(v);
    all.record(v);
  }
  ASSERT_GT(dense.allocated_bytes(), 8192u);
  ASSERT_LT(sparse.allocated_bytes(), 2048u);

  auto sparse_into_dense = dense;
  sparse_into_dense.merge(sparse);
  auto dense_into_sparse = sparse;
  dense_into_sparse.merge(dense);
  EXPECT_EQ(sparse_into_dense, all);
  EXPECT_EQ(dense_into_sparse, all);
  EXPECT_EQ(nlohmann::json(sparse_into_dense), nlohmann::json(all));
  EXPECT_EQ(nlohmann::json(dense_into_sparse), nlohmann::json(all));
  for (const double p : {0.0, 50.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(sparse_into_dense.value_at_percentile(p), all.value_at_percentile(p)) << p;
    EXPECT_EQ(dense_into_sparse.value_at_percentile(p), all.value_at_percentile(p)) << p;
  }
  // Sparse into sparse past the limit: 100 + 100 buckets become dense, counts unchanged.
  const auto first = distinct_latencies(200, 5);
  histogram a, b, ab;
  for (std::size_t i = 0; i < first.size(); ++i) {
    (i % 2 ? a : b).record(first[i]);
    ab.record(first[i]);
  }
  ASSERT_LT(a.allocated_bytes(), 2048u + 1);
  a.merge(b);
  EXPECT_EQ(a, ab);
  EXPECT_EQ(nlohmann::json(a), nlohmann::json(ab));
  // Equality sees counts, not storage: a sparse histogram never equals a dense one of other counts.
  EXPECT_NE(sparse, dense);
  EXPECT_NE(dense, sparse);
}

}  // namespace
}  // namespace loadgate
