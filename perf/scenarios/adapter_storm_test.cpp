// Adapter storm: requests spread uniformly over three times more adapters than the simulator has
// slots (24 for 8), so the serial loader cycles adapters in and out — what makes a multi-LoRA
// cache thrash. Nothing may fail; latency is dominated by loads, so its limits are wide.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(MultiLora, AdapterStorm) {
  const llm::generation_options generate{.max_new_tokens = 16, .adapters = llm::adapter_selection::uniform(first_adapters(24))};
  const auto scenario = loadgate::scenario{"adapter_storm"}
                            .users(16).spawn_rate(16).duration(12s).grace(3s)
                            .task(llm::generate(generate));

  const auto outcome = expect_no_regression(scenario, target(), default_service_options());
  EXPECT_THAT(outcome, meets(p95("generate") < 3s, failure_rate() < 1_percent, throughput() >= 5.0));
}

}  // namespace
}  // namespace loadgate::scenarios
