#pragma once
// What was seen for one request name (or, later, one adapter): counts, failures by kind and
// latency histograms. Latency histograms hold successful requests only.
#include <array>
#include <chrono>
#include <cstdint>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/failure_kind.hpp"
#include "loadgate/histogram.hpp"

namespace loadgate {

class request_stats {
 public:
  // `latency` is timed from the intended start (open model, corrected for coordinated omission)
  // or from the actual send (closed model); `latency_uncorrected` always from the actual send.
  void record_success(std::chrono::nanoseconds latency, std::chrono::nanoseconds latency_uncorrected);
  void record_failure(failure_kind kind);
  void merge(const request_stats& other);

  std::uint64_t count() const { return successes_ + failures(); }  // completed + failed
  std::uint64_t successes() const { return successes_; }
  std::uint64_t failures() const;
  std::uint64_t failures(failure_kind kind) const { return failures_[static_cast<std::size_t>(kind)]; }
  double failure_rate() const;  // failures / count; 0 when count is 0

  const histogram& latency() const { return latency_; }
  const histogram& latency_uncorrected() const { return latency_uncorrected_; }

  bool operator==(const request_stats&) const = default;

 private:
  friend void to_json(nlohmann::json&, const request_stats&);
  friend void from_json(const nlohmann::json&, request_stats&);

  std::uint64_t successes_ = 0;
  std::array<std::uint64_t, failure_kind_count> failures_{};
  histogram latency_;
  histogram latency_uncorrected_;
};

void to_json(nlohmann::json& j, const request_stats& s);
void from_json(const nlohmann::json& j, request_stats& s);

}  // namespace loadgate
