#pragma once
// The per-request service-level objective behind goodput: a request is "good" when it succeeded
// and met every limit that is set (measurement.md: TTFT ≤ x, TPOT ≤ y, E2E ≤ z).
#include <chrono>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/observation.hpp"

namespace loadgate::llm {

struct per_request_slo {
  std::optional<std::chrono::nanoseconds> ttft;  // default: no limit
  std::optional<std::chrono::nanoseconds> tpot;  // default: no limit
  std::optional<std::chrono::nanoseconds> e2e;   // default: no limit

  bool empty() const { return !ttft && !tpot && !e2e; }
  // A TTFT limit fails a request without a TTFT (a non-streamed one): it cannot show it met it.
  // A TPOT limit passes a request with N <= 1, which has no TPOT to break it (as vLLM's goodput).
  bool met_by(const observation& o) const;
  bool operator==(const per_request_slo&) const = default;
};

// {"ttft_ms": 250, "tpot_ms": 50, "e2e_ms": 5000}; absent keys are no limit. Fractions allowed.
void to_json(nlohmann::json& j, const per_request_slo& s);
void from_json(const nlohmann::json& j, per_request_slo& s);

}  // namespace loadgate::llm
