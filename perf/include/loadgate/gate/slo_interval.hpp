#pragma once
// An SLO judged with an interval: is the service's value, not just this run's, on the right side
// of the limit? `check` (slo.hpp) compares one run's point value with the limit; a capacity search
// needs to know when a point is too close to call, so that it runs it again instead of letting
// one run's noise move the answer. The interval uses the gate's statistics (perf/src/gate/README.md,
// "SLO intervals").
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/gate/slo.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

enum class slo_call : std::uint8_t {
  met,        // the whole interval is on the allowed side of the limit
  missed,     // the whole interval is beyond it (or there are no samples)
  too_close,  // the limit lies inside the interval: more runs would tell
};
std::string_view to_string(slo_call c);

struct slo_interval_options {
  double alpha = 0.05;       // 1 − confidence of the interval
  double run_noise = 0.02;   // relative SD of one run's value that its windows cannot show (the gate's floor)
  std::chrono::seconds warmup{1};  // windows skipped at the start besides the detected ramp-up
  std::size_t replicates = 400;    // block bootstrap
  std::uint64_t seed = 1;          // verdicts repeat
};

struct slo_estimate {
  loadgate::slo slo;
  double value = 0;  // pooled over the steady windows of every run, in the metric's unit
  double low = 0;    // interval, 1 − alpha
  double high = 0;
  std::uint64_t samples = 0;
  std::size_t runs = 0;
  std::size_t blocks = 0;  // resampled blocks; 0: no windows, only the run-to-run term
  slo_call call = slo_call::missed;
  std::string note;  // why there are no samples

  // "p95 latency = 512.3 ms [498.0, 530.1], limit < 450.0 ms: missed (2 runs, 2310 samples)"
  std::string message() const;
  bool operator==(const slo_estimate&) const = default;
};

// Pools the steady windows (the gate's trimming) of every run, merges adjacent windows into blocks
// that hold the samples the statistic needs, and widens a block bootstrap's variance by the
// run-to-run term run_noise² / runs (relative metrics only; rates are absolute).
slo_estimate estimate(const slo& s, const std::vector<result>& runs, const slo_interval_options& options = {});

// The call over several SLOs: missed if any is missed, met if all are met, else too close.
slo_call combined_call(const std::vector<slo_estimate>& estimates);

void to_json(nlohmann::json& j, const slo_estimate& e);
void from_json(const nlohmann::json& j, slo_estimate& e);

}  // namespace loadgate
