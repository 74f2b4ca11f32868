// Overload: arrivals (open model) beyond what the service admits, so it sheds load with 429
// "overloaded". The share of 429s is bounded by an SLO on that failure kind, so its message names
// them; anything else failing is a bug.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(Load, Overload) {
  const llm::generation_options generate{.max_new_tokens = 32};
  const auto scenario = loadgate::scenario{"overload"}
                            .rate(400).arrivals(arrival_process::poisson()).max_in_flight(256)
                            .duration(12s).grace(2s)
                            .task(llm::generate(generate));

  const auto outcome = expect_no_regression(scenario, target(), default_service_options());
  EXPECT_THAT(outcome, meets(failure_rate(failure_kind::overloaded) < 60_percent, failure_rate(failure_kind::overloaded) > 5_percent,
                             failure_rate(failure_kind::http_5xx) < 0.1_percent, p95("generate") < 500ms));
}

}  // namespace
}  // namespace loadgate::scenarios
