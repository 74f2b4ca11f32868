#pragma once
// An HDR-style log-linear histogram: values from 1 to 3.6e9 (1 µs to 1 h when the unit is µs)
// with 3 significant digits of precision. Merging adds counts, so per-thread, per-window and
// per-shard histograms combine exactly; never average percentiles, merge histograms instead.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace loadgate {

class histogram {
 public:
  static constexpr std::int64_t lowest_trackable = 1;
  static constexpr std::int64_t highest_trackable = 3'600'000'000;  // 1 h in µs
  static constexpr int significant_digits = 3;

  histogram();
  histogram(const histogram& other);             // deep copy
  histogram& operator=(const histogram& other);  // deep copy
  histogram(histogram&&) noexcept = default;
  histogram& operator=(histogram&&) noexcept = default;
  ~histogram();

  // Values below 1 are recorded as 1 (not as 0: a 0-µs latency is a clock artefact); values above
  // highest_trackable are recorded as highest_trackable and counted in saturated().
  void record(std::int64_t value, std::uint64_t count = 1);
  // Durations are recorded in microseconds, rounded to the nearest.
  void record(std::chrono::nanoseconds duration) { record(to_micros(duration)); }

  void merge(const histogram& other);
  void clear();

  std::uint64_t count() const { return total_count_; }
  bool empty() const { return total_count_ == 0; }
  std::int64_t min() const;   // 0 when empty
  std::int64_t max() const;   // 0 when empty
  double mean() const;        // 0 when empty; from the exact sum of the recorded values
  std::uint64_t sum() const { return sum_; }  // exact sum of the recorded (clamped) values
  std::uint64_t saturated() const { return saturated_count_; }

  // percent in [0, 100]; the value v such that at least percent % of the samples are <= v,
  // to within the histogram's precision. 0 when empty.
  // HdrHistogram's semantics: the bucket where the cumulative count first reaches
  // ceil(percent/100 * count), reported as that bucket's highest equivalent value (so a
  // percentile never under-reports, by at most 1/1024 relative), clamped to [min(), max()] so
  // that p0 == min() and p100 == max() exactly.
  std::int64_t value_at_percentile(double percent) const;
  std::chrono::microseconds duration_at_percentile(double percent) const {
    return std::chrono::microseconds{value_at_percentile(percent)};
  }

  // Visits every non-empty bucket: (representative value, count), in increasing value order.
  // The representative value is the one value_at_percentile reports for that bucket: its highest
  // equivalent value, clamped to [min(), max()].
  void for_each_bucket(const std::function<void(std::int64_t value, std::uint64_t count)>& visit) const;

  // The range of values indistinguishable from `value` at this precision: [lowest, highest].
  static std::int64_t lowest_equivalent(std::int64_t value);
  static std::int64_t highest_equivalent(std::int64_t value);

  // Heap bytes held by the bucket segments (for tests and memory budgets).
  std::size_t allocated_bytes() const;

  bool operator==(const histogram& other) const;

  static std::int64_t to_micros(std::chrono::nanoseconds d) { return (d.count() + 500) / 1000; }

 private:
  friend void to_json(nlohmann::json&, const histogram&);
  friend void from_json(const nlohmann::json&, histogram&);
  friend struct histogram_layout;

  // Dense buckets live in lazily allocated segments of 1024 counts (8 KiB), one per power of two
  // (the first covers 1..1023), so a histogram of values spanning a few powers of two costs a
  // few segments, not the whole range (23 segments, 184 KiB).
  std::vector<std::unique_ptr<std::uint64_t[]>> segments_;  // empty until the first record
  std::uint64_t total_count_ = 0;
  std::uint64_t saturated_count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  // An integer sum is exact, and lossless in JSON: it overflows only after 585,000 years of
  // recorded microseconds.
  std::uint64_t sum_ = 0;

  // A histogram that has used few buckets keeps them as a sorted list (a one-second window of one
  // adapter's requests holds a few dozen values: 16 bytes each instead of 8 KiB segments); past
  // sparse_limit buckets it moves them into segments for good. Either way the counts are the same.
  static constexpr std::size_t sparse_limit = 128;
  struct sparse_bucket {
    std::uint32_t index;  // HdrHistogram's counts index
    std::uint64_t count;
    bool operator==(const sparse_bucket&) const = default;
  };
  std::vector<sparse_bucket> sparse_;  // in index order; used while segments_ is empty
};

void to_json(nlohmann::json& j, const histogram& h);
void from_json(const nlohmann::json& j, histogram& h);

}  // namespace loadgate
