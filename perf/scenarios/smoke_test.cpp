// Smoke: a handful of users on the base model (the seeds' "light" profile), the cheapest proof
// that the service answers, fast, without failures.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(Smoke, Generate) {
  const llm::generation_options generate{.max_new_tokens = 16};
  const auto scenario = loadgate::scenario{"smoke"}.users(4).duration(10s).grace(2s).task(llm::generate(generate));

  const auto outcome = expect_no_regression(scenario, target(), default_service_options());
  EXPECT_THAT(outcome, meets(p95("generate") < 150ms, failure_rate() < 1_percent, throughput() >= 20.0));
}

}  // namespace
}  // namespace loadgate::scenarios
