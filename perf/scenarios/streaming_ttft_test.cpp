// Streaming TTFT: chat-like streamed generations, where users feel the time to the first token
// more than the total: gated on p95 TTFT of the streams (besides the default metrics) and
// checked against absolute limits on TTFT and end-to-end latency.
#include "scenario_support.hpp"

namespace loadgate::scenarios {
namespace {

using namespace std::chrono_literals;

TEST_F(MultiLora, StreamingTtft) {
  const llm::generation_options stream{.max_new_tokens = 64, .adapters = llm::adapter_selection::uniform(first_adapters(4))};
  const auto scenario = loadgate::scenario{"streaming_ttft"}
                            .users(16).spawn_rate(16).duration(12s).grace(2s)
                            .task(llm::generate_stream(stream));
  auto options = default_service_options();
  options.gate(gate_options{}.metrics(default_gated_metrics()).gate(p95(ttft("generate_stream"))));

  const auto outcome = expect_no_regression(scenario, target(), options);
  EXPECT_THAT(outcome,
              meets(p95(ttft("generate_stream")) < 150ms, p95("generate_stream") < 400ms, failure_rate() < 1_percent));
}

}  // namespace
}  // namespace loadgate::scenarios
