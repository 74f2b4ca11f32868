#pragma once
// What a request showed, for tests that fill tallies and results without a server.
#include <chrono>
#include <string>

#include "loadgate/observation.hpp"

namespace loadgate::test_support {

// A plain HTTP success: both latencies as given (closed model: the same by default).
inline observation observed_success(std::chrono::nanoseconds latency, std::chrono::nanoseconds uncorrected) {
  observation o;
  o.latency = latency;
  o.latency_uncorrected = uncorrected;
  return o;
}
inline observation observed_success(std::chrono::nanoseconds latency) { return observed_success(latency, latency); }

inline observation observed_failure(failure_kind kind, std::string cause = {}) {
  observation o;
  o.failure = kind;
  o.cause = std::move(cause);
  return o;
}

}  // namespace loadgate::test_support
