#pragma once
// Runs a scenario against a target and returns what was measured.
#include <chrono>
#include <cstdint>
#include <functional>

#include "loadgate/result.hpp"
#include "loadgate/scenario.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

// A snapshot for the live progress line, taken once per progress_interval.
struct progress {
  std::chrono::nanoseconds elapsed{};
  std::chrono::nanoseconds planned{};      // the scenario's duration
  std::uint64_t active_users = 0;          // users (closed) or requests in flight (open)
  double requests_per_second = 0;          // over the last complete window
  std::chrono::microseconds p50{};         // over the last complete window
  std::chrono::microseconds p95{};
  std::uint64_t requests = 0;              // so far
  std::uint64_t failures = 0;              // so far
};

struct run_options {
  std::function<void(const progress&)> on_progress;  // called from a thread of its own, never a worker
  std::chrono::milliseconds progress_interval{1000};
};

// Throws configuration_error for an invalid scenario and start_error when the run cannot start
// (for example, the open-file limit is below what the scenario needs). Expected network failures
// are counted in the result, never thrown.
result run(const scenario& s, const target& t, const run_options& options = {});

}  // namespace loadgate
