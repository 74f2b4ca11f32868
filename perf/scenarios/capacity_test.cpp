// Capacity as a gated figure: the highest arrival rate at which generate requests keep their p95
// under 50 ms (500 model-ms at the suite's time scale of 0.1). A pull request that lowers the load
// the service carries within its SLO fails here, even when every latency at a fixed load still
// passes. About 40 s: at most 8 points of at most 2 runs of 4 s.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(Load, Capacity) {
  const auto scenario = loadgate::scenario{"capacity"}
                            .rate(200)
                            .arrivals(arrival_process::constant())
                            .duration(4s)
                            .grace(1s)
                            .task(llm::generate({.max_new_tokens = 16}));
  gated_capacity_options options;
  options.search.max_points = 8;
  options.search.max_runs_per_point = 2;
  options.configuration = {{"service", service_description("lorax", LOADGATE_SIM_FLAGS)}};
  expect_no_capacity_regression(scenario, {p95() < 50ms}, target(), options);
}

}  // namespace
}  // namespace loadgate::scenarios
