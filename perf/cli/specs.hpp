#pragma once
// Short command-line spellings of the workload knobs:
//   --think  none | constant:1s | between:500ms:1500ms | pacing:2s | throughput:0.5
//   --arrivals  constant | poisson | gamma:0.5   (0.5 = burstiness)
//   --stage  TARGET:RAMP:HOLD, e.g. 100:10s:1m  (users, or arrivals/s in the open model)
#include <string_view>

#include "loadgate/arrival_process.hpp"
#include "loadgate/stage.hpp"
#include "loadgate/think_time.hpp"

namespace loadgate::cli {

think_time parse_think_time(std::string_view spec);
arrival_process parse_arrivals(std::string_view spec);
stage parse_stage(std::string_view spec);

}  // namespace loadgate::cli
