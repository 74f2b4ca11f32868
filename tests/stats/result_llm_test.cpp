// The LLM sections of a result: merged by request name and adapter, written under "llm" and
// "adapters", optional on reading, and the derived goodput and token throughput.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/result.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

llm::llm_observation streamed(std::chrono::milliseconds ttft, std::uint64_t tokens, std::string adapter,
                              clock::time_point t0 = clock::time_point{} + 1s) {
  llm::llm_observation o;
  o.t0 = t0;
  o.streamed = true;
  o.status = 200;
  o.ttft = ttft;
  o.e2e = ttft + 100ms;
  o.output_tokens = tokens;
  o.adapter = std::move(adapter);
  o.server.time_to_first_token_ms = static_cast<double>(ttft.count()) - 0.5;
  return o;
}

result llm_result(llm::per_request_slo slo = {}) {
  result r;
  r.info.scenario = "llm";
  r.info.measured_duration = 10s;
  r.llm.emplace("stream", llm::llm_stats{slo});
  r.llm.at("stream").record(streamed(40ms, 10, "a"));
  r.llm.at("stream").record(streamed(400ms, 30, "b"));
  r.adapters.record(streamed(40ms, 10, "a"), clock::time_point{});
  r.adapters.record(streamed(400ms, 30, "b"), clock::time_point{});
  return r;
}

TEST(ResultLlm, RoundTripsThroughJsonAndStaysOptional) {
  const auto r = llm_result(llm::per_request_slo{.ttft = 100ms});
  const nlohmann::json j = r;
  ASSERT_TRUE(j.contains("llm"));
  ASSERT_TRUE(j.contains("adapters"));
  EXPECT_EQ(j.get<result>(), r);
  auto plain = j;
  plain.erase("llm");
  plain.erase("adapters");
  EXPECT_TRUE(plain.get<result>().llm.empty());
  EXPECT_FALSE(nlohmann::json(result{}).contains("llm")) << "plain HTTP results keep their shape";
  auto broken = j;
  broken["llm"]["stream"].erase("ttft_us");
  EXPECT_THROW((void)broken.get<result>(), configuration_error);
}

TEST(ResultLlm, MergesByNameAndAdapterAndKeepsTheSlo) {
  const llm::per_request_slo slo{.ttft = 100ms};
  auto merged = llm_result(slo);
  merged.merge(llm_result(slo));
  const auto& s = merged.llm.at("stream");
  EXPECT_EQ(s.successes(), 4u);
  EXPECT_EQ(s.met_slo(), 2u);
  EXPECT_EQ(s.slo(), slo);
  EXPECT_EQ(merged.adapters.of("a").all().requests, 2u);
  EXPECT_EQ(merged.adapters.of("a").cold.requests, 1u) << "one first sight per adapter, whatever merged";
  result into;
  into.info.scenario = "llm";
  into.merge(llm_result(slo));  // into a result without LLM statistics: copied with its SLO
  EXPECT_EQ(into.llm.at("stream").slo(), slo);
}

TEST(ResultLlm, GoodputAndTokenThroughputPerMeasuredSecond) {
  const auto r = llm_result(llm::per_request_slo{.ttft = 100ms});
  EXPECT_DOUBLE_EQ(r.goodput(), 0.1);          // 1 of 2 met TTFT <= 100 ms, over 10 s
  EXPECT_DOUBLE_EQ(r.goodput("stream"), 0.1);
  EXPECT_DOUBLE_EQ(r.goodput("other"), 0.0);
  EXPECT_DOUBLE_EQ(r.output_tokens_per_second(), 4.0);
  EXPECT_DOUBLE_EQ(r.llm_requests_per_second(), 0.2);
}

}  // namespace
}  // namespace loadgate
