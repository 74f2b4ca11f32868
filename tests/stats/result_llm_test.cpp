// The LLM side of a result: requests filed by name, adapter and cold/warm use, first sights held
// apart, the per-request SLO in the run's information, and the derived goodput and token
// throughput; JSON round trips and shard merges.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "loadgate/error.hpp"
#include "loadgate/llm/per_request_slo.hpp"
#include "loadgate/result.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

observation streamed(std::chrono::milliseconds ttft, std::uint64_t tokens, std::string adapter,
                     const llm::per_request_slo& slo) {
  observation o;
  o.llm = true;
  o.ttft = ttft;
  o.e2e = ttft + 100ms;
  o.latency = *o.e2e;
  o.latency_uncorrected = *o.e2e;
  o.output_tokens = tokens;
  o.token_source = token_count_source::server;
  o.adapter = std::move(adapter);
  o.adapter_loaded = false;  // as lorax-sim says it: x-adapter-load-time 0
  o.server_ttft = ttft - 500us;
  o.server_total = o.server_inference = *o.e2e;  // no queue: receipt to first token is the TTFT
  o.met_slo = o.ok() && slo.met_by(o);  // as the Recorder does
  return o;
}

result llm_result(llm::per_request_slo slo = {}) {
  result r;
  r.info.scenario = "llm";
  r.info.measured_duration = 10s;
  r.info.per_request_slo = nlohmann::json(slo).dump();
  r.file("stream", streamed(40ms, 10, "a", slo), 1s, 1);
  r.file("stream", streamed(400ms, 30, "b", slo), 1s, 1);
  return r;
}

TEST(ResultLlm, RoundTripsThroughJson) {
  const llm::per_request_slo slo{.ttft = 100ms};
  auto r = llm_result(slo);
  r.file("stream", streamed(45ms, 12, "a", slo), 1200ms, 1);  // warm: filed under its key
  r.file("health", observation{}, 1s, 1);
  const nlohmann::json j = r;
  EXPECT_EQ(j.at("run").at("per_request_slo"), nlohmann::json::parse(R"({"ttft_ms":100.0})"));
  ASSERT_EQ(j.at("first_sights").size(), 2u);
  EXPECT_EQ(j.at("first_sights")[0].at("adapter"), "a");
  EXPECT_EQ(j.at("first_sights")[1].at("adapter"), "b");
  ASSERT_EQ(j.at("tallies").size(), 2u);
  EXPECT_EQ(j.at("tallies")[0].at("request"), "health");
  EXPECT_FALSE(j.at("tallies")[0].contains("adapter")) << "plain HTTP requests keep their shape";
  EXPECT_EQ(j.at("tallies")[1].at("adapter"), "a");
  EXPECT_EQ(j.at("tallies")[1].at("use"), "warm");
  EXPECT_EQ(j.get<result>(), r);
  EXPECT_EQ(nlohmann::json::parse(j.dump()).get<result>(), r);
  EXPECT_TRUE(nlohmann::json(result{}).at("first_sights").empty());
  auto broken = j;
  broken["first_sights"][0]["tally"].erase("latency_us");
  EXPECT_THAT([&] { (void)broken.get<result>(); },
              ThrowsMessage<configuration_error>(HasSubstr("must hold 'successes' (1) samples")));
}

// A server that does not say whether it loaded an adapter (LoRAX sends no x-adapter-load-time):
// after the adapter's first request, which is cold as its first sight, its requests are neither
// cold nor warm, so that a reload after an offload is not counted as warm. The base model has
// nothing to load: its requests stay warm.
TEST(ResultLlm, RequestsWhoseServerDoesNotSayAreNeitherColdNorWarm) {
  result r;
  r.info.measured_duration = 10s;
  const std::vector<std::string> adapters{"a", "a", "a", "", ""};
  for (int i = 0; i < static_cast<int>(adapters.size()); ++i) {
    auto o = streamed(40ms, 10, adapters[i], {});
    o.adapter_loaded.reset();
    r.file("stream", o, std::chrono::seconds{i + 1}, 0);
  }
  EXPECT_EQ(r.total({.adapter = "a", .use = adapter_use::cold}).count(), 1u) << "the first sight";
  EXPECT_EQ(r.total({.adapter = "a", .use = adapter_use::warm}).count(), 0u);
  EXPECT_EQ(r.total({.adapter = "a", .use = adapter_use::unknown}).count(), 2u);
  EXPECT_EQ(r.total({.adapter = "", .use = adapter_use::warm}).count(), 1u) << "the base model's second request";
  const nlohmann::json j = r;
  EXPECT_THAT(j.dump(), HasSubstr("\"use\":\"unknown\""));
  EXPECT_EQ(nlohmann::json::parse(j.dump()).get<result>(), r);
}

TEST(ResultLlm, MergesByNameAndAdapterAndKeepsTheSlo) {
  const llm::per_request_slo slo{.ttft = 100ms};
  auto merged = llm_result(slo);
  merged.merge(llm_result(slo));
  const auto s = merged.total({.request = "stream"});
  EXPECT_EQ(s.successes(), 4u);
  EXPECT_EQ(s.met_slo(), 2u);
  EXPECT_EQ(s.of(measure::ttft).count(), 4u);
  EXPECT_EQ(s.of(measure::ttft_minus_server_ttft).max(), 500);
  EXPECT_EQ(merged.info.per_request_slo, R"({"ttft_ms":100.0})");
  EXPECT_EQ(merged.total({.adapter = "a"}).count(), 2u);
  EXPECT_EQ(merged.total({.adapter = "a", .use = adapter_use::cold}).count(), 1u) << "one first sight per adapter, whatever merged";
  EXPECT_EQ(merged.first_sights.size(), 2u);
  result into;
  into.merge(llm_result(slo));  // into an empty result: copied with its SLO
  EXPECT_EQ(into.info.per_request_slo, R"({"ttft_ms":100.0})");
  EXPECT_EQ(into, llm_result(slo));
  auto other = llm_result(llm::per_request_slo{.ttft = 200ms});
  EXPECT_THAT([&] { other.merge(llm_result(slo)); }, ThrowsMessage<configuration_error>(HasSubstr("different per-request SLOs")));
}

TEST(ResultLlm, GoodputAndTokenThroughputPerMeasuredSecond) {
  const auto r = llm_result(llm::per_request_slo{.ttft = 100ms});
  EXPECT_DOUBLE_EQ(r.seconds(), 10.0);
  const auto per_second = [&r](std::uint64_t n) { return static_cast<double>(n) / r.seconds(); };
  EXPECT_DOUBLE_EQ(per_second(r.total().met_slo()), 0.1);  // 1 of 2 met TTFT <= 100 ms, over 10 s
  EXPECT_DOUBLE_EQ(per_second(r.total({.request = "stream"}).met_slo()), 0.1);
  EXPECT_DOUBLE_EQ(per_second(r.total({.request = "other"}).met_slo()), 0.0);
  EXPECT_DOUBLE_EQ(per_second(r.total({.adapter = "a"}).met_slo()), 0.1);
  EXPECT_DOUBLE_EQ(per_second(r.total({.adapter = "b"}).met_slo()), 0.0);
  EXPECT_DOUBLE_EQ(per_second(r.total().output_tokens_total()), 4.0);
  EXPECT_DOUBLE_EQ(r.requests_per_second(), 0.2);
  // Without an SLO every success counts.
  EXPECT_DOUBLE_EQ(per_second(llm_result().total().met_slo()), 0.2);
}

}  // namespace
}  // namespace loadgate
