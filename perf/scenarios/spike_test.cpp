// Spike: users jump tenfold within two seconds and fall back (the seeds' "spike" profile, 10 →
// 100 users at 100/s there): requests must not fail and the tail must stay bounded while the
// batch fills.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(Load, Spike) {
  const llm::generation_options generate{.max_new_tokens = 32, .adapters = llm::adapter_selection::zipf(first_adapters(4), 1.1)};
  const auto scenario = loadgate::scenario{"spike"}
                            .stages({{.target = 4, .ramp = 0s, .hold = 4s},
                                     {.target = 40, .ramp = 2s, .hold = 6s},
                                     {.target = 4, .ramp = 1s, .hold = 3s}})
                            .grace(2s)
                            .task(llm::generate(generate));

  const auto outcome = expect_no_regression(scenario, target(), default_service_options());
  EXPECT_THAT(outcome, meets(p95("generate") < 400ms, maximum("generate") < 2s, failure_rate() < 1_percent));
}

}  // namespace
}  // namespace loadgate::scenarios
