#pragma once
// result.json's "summary": the figures people and scripts read, derived from the histograms each
// time a result is written, and ignored when one is read (the histograms are the record; a
// summary edited by hand or by an older version never wins over them).
//
//   jq '.summary.requests.generate.latency_ms.p95' result.json
//
// Per request name, per adapter (all, cold, warm) and overall: count, successes, failures by kind,
// failure_rate, requests_per_second; latency_ms {min, mean, p50, p90, p95, p99, p99_9, max}; and,
// where there were streams, ttft_ms, tpot_ms and inter_token_gap_ms the same way;
// output_tokens_per_second; goodput_per_second; time_ms, the time breakdown
// (loadgate/time_breakdown.hpp), when the server sent its timings; and for staged or ramp runs
// "knees" (loadgate/gate/knee.hpp). Documented in perf/src/stats/README.md.
#include <nlohmann/json_fwd.hpp>

#include "loadgate/result.hpp"

namespace loadgate {

nlohmann::json run_summary(const result& r);

}  // namespace loadgate
