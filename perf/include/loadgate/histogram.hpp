#pragma once
// An HDR-style log-linear histogram: values from 1 to 3.6e9 (1 µs to 1 h when the unit is µs)
// with 3 significant digits of precision. Merging adds counts, so per-thread, per-window and
// per-shard histograms combine exactly; never average percentiles, merge histograms instead.
#include <chrono>
#include <cstdint>
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
  double mean() const;        // 0 when empty
  std::uint64_t saturated() const { return saturated_count_; }

  // percent in [0, 100]; the value v such that at least percent % of the samples are <= v,
  // to within the histogram's precision. 0 when empty.
  std::int64_t value_at_percentile(double percent) const;
  std::chrono::microseconds duration_at_percentile(double percent) const {
    return std::chrono::microseconds{value_at_percentile(percent)};
  }

  // Visits every non-empty bucket: (representative value, count), in increasing value order.
  template <class F>
  void for_each_bucket(F&& visit) const;

  bool operator==(const histogram& other) const;

  static std::int64_t to_micros(std::chrono::nanoseconds d) { return (d.count() + 500) / 1000; }

 private:
  friend void to_json(nlohmann::json&, const histogram&);
  friend void from_json(const nlohmann::json&, histogram&);
  friend struct histogram_layout;

  // Buckets live in lazily allocated segments, one per power of two, so that a histogram of
  // values spanning three magnitudes costs a few KiB, not the whole range.
  std::vector<std::unique_ptr<std::uint64_t[]>> segments_;
  std::uint64_t total_count_ = 0;
  std::uint64_t saturated_count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  long double sum_ = 0;
};

void to_json(nlohmann::json& j, const histogram& h);
void from_json(const nlohmann::json& j, histogram& h);

}  // namespace loadgate
