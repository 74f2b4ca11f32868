// Steady mixed adapters: production-like traffic (the seeds' "medium" profile) where a few
// adapters take most requests (Zipf, s = 1.1, as S-LoRA's power law), three short generations to
// one streamed, all adapters fitting the simulator's 8 slots so the cache stays warm.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(MultiLora, SteadyMixedAdapters) {
  const auto adapters = llm::adapter_selection::zipf(first_adapters(8), 1.1);
  const llm::generation_options generate{.max_new_tokens = 32, .adapters = adapters};
  const llm::generation_options stream{.max_new_tokens = 64, .adapters = adapters};
  const auto scenario = loadgate::scenario{"steady_mixed_adapters"}
                            .users(24).spawn_rate(24).duration(12s).grace(2s)
                            .think_time(between(10ms, 30ms))
                            .task(3, llm::generate(generate))
                            .task(1, llm::generate_stream(stream));

  const auto outcome = expect_no_regression(
      scenario, target(), default_service_options());
  EXPECT_THAT(outcome, meets(p95("generate") < 300ms, p95("generate_stream") < 500ms, failure_rate() < 1_percent));
}

}  // namespace
}  // namespace loadgate::scenarios
