#include "loadgate/request_stats.hpp"

#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "stats/json_read.hpp"

namespace loadgate {

void request_stats::record_success(std::chrono::nanoseconds latency, std::chrono::nanoseconds latency_uncorrected) {
  ++successes_;
  latency_.record(latency);
  latency_uncorrected_.record(latency_uncorrected);
}

void request_stats::record_failure(failure_kind kind) { ++failures_[static_cast<std::size_t>(kind)]; }

void request_stats::merge(const request_stats& other) {
  successes_ += other.successes_;
  for (std::size_t k = 0; k < failure_kind_count; ++k) failures_[k] += other.failures_[k];
  latency_.merge(other.latency_);
  latency_uncorrected_.merge(other.latency_uncorrected_);
}

std::uint64_t request_stats::failures() const {
  return std::accumulate(failures_.begin(), failures_.end(), std::uint64_t{0});
}

double request_stats::failure_rate() const {
  return count() == 0 ? 0.0 : static_cast<double>(failures()) / static_cast<double>(count());
}

// "count" and "failures_total" are derived, written for readers (jq, spreadsheets) and checked on
// reading. Only non-zero failure kinds are written; missing kinds read as 0.
void to_json(nlohmann::json& j, const request_stats& s) {
  auto failures = nlohmann::json::object();
  for (const auto kind : all_failure_kinds)
    if (s.failures(kind) != 0) failures[std::string{to_string(kind)}] = s.failures(kind);
  j = nlohmann::json{{"count", s.count()},
                     {"successes", s.successes()},
                     {"failures_total", s.failures()},
                     {"failures", std::move(failures)},
                     {"latency_us", s.latency()},
                     {"latency_uncorrected_us", s.latency_uncorrected()}};
}

void from_json(const nlohmann::json& j, request_stats& out) {
  using namespace stats_detail;
  constexpr std::string_view where = "request stats";
  request_stats s;
  s.successes_ = read_unsigned(j, where, "successes");
  const auto& failures = field(j, where, "failures");
  expect_object(failures, "request stats 'failures'");
  for (const auto& [name, value] : failures.items()) {
    const auto kind = failure_kind_from_string(name);
    if (!kind) malformed(where, "unknown failure kind '" + name + "' in 'failures'");
    s.failures_[static_cast<std::size_t>(*kind)] = as_unsigned(value, where, name);
  }
  s.latency_ = field(j, where, "latency_us").get<histogram>();
  s.latency_uncorrected_ = field(j, where, "latency_uncorrected_us").get<histogram>();
  if (read_unsigned(j, where, "count") != s.count() || read_unsigned(j, where, "failures_total") != s.failures())
    malformed(where, "'count' or 'failures_total' disagrees with 'successes' and 'failures'");
  // Both histograms hold exactly the successful requests.
  if (s.latency_.count() != s.successes_ || s.latency_uncorrected_.count() != s.successes_)
    malformed(where, "the latency histograms must hold 'successes' (" + std::to_string(s.successes_) + ") samples");
  out = std::move(s);
}

}  // namespace loadgate
