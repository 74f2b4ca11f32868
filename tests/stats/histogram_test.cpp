#include "loadgate/histogram.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace loadgate
