#pragma once
// Short command-line spellings of the workload knobs:
//   --think  none | constant:1s | between:500ms:1500ms | pacing:2s | throughput:0.5
//   --arrivals  constant | poisson | gamma:0.5   (0.5 = burstiness)
//   --stage  TARGET:RAMP:HOLD, e.g. 100:10s:1m  (users, or arrivals/s in the open model)
//   --slo    METRIC OP LIMIT: p95<500ms, ttft.p95<300ms, p99[generate]<=1s, max<2s,
//            tpot.p90[adapter:org/lora,warm]<40ms, failure_rate<1%, failure_rate.timeout<0.1%,
//            throughput>=50, goodput[generate]>=20
//   --max-failure, --precision  a percentage: 1%, 0.5%  (returned as a fraction, 0.01)
#include <string_view>

#include "loadgate/arrival_process.hpp"
#include "loadgate/gate/slo.hpp"
#include "loadgate/stage.hpp"
#include "loadgate/think_time.hpp"

namespace loadgate::cli {

think_time parse_think_time(std::string_view spec);
arrival_process parse_arrivals(std::string_view spec);
stage parse_stage(std::string_view spec);
slo parse_slo(std::string_view spec);
double parse_percent(std::string_view text, std::string_view option);

}  // namespace loadgate::cli
