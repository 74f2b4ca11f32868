// The per-request SLO that goodput counts against: which requests meet it, and its JSON.
#include "loadgate/llm/per_request_slo.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;

observation streamed(std::chrono::nanoseconds ttft, std::chrono::nanoseconds tpot, std::chrono::nanoseconds e2e) {
  observation o;
  o.llm = true;
  o.ttft = ttft;
  o.tpot = tpot;
  o.e2e = e2e;
  o.latency = e2e + 1ms;
  o.latency_uncorrected = o.latency;
  return o;
}

TEST(PerRequestSlo, NoLimitIsMetByEverySuccessAndNoFailure) {
  const per_request_slo none;
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(none.met_by(streamed(10s, 1s, 60s)));
  EXPECT_TRUE(none.met_by(observation{}));
  auto failed = streamed(1ms, 1ms, 2ms);
  failed.failure = failure_kind::stream_error;
  EXPECT_FALSE(none.met_by(failed));
  EXPECT_FALSE((per_request_slo{.ttft = 1s, .tpot = 1s, .e2e = 1s}.met_by(failed)));
}

TEST(PerRequestSlo, EveryLimitMustBeMet) {
  const per_request_slo slo{.ttft = 200ms, .tpot = 20ms, .e2e = 1s};
  EXPECT_TRUE(slo.met_by(streamed(100ms, 10ms, 500ms)));
  EXPECT_TRUE(slo.met_by(streamed(200ms, 20ms, 1s))) << "limits are inclusive";
  EXPECT_FALSE(slo.met_by(streamed(201ms, 10ms, 500ms)));
  EXPECT_FALSE(slo.met_by(streamed(100ms, 21ms, 500ms)));
  EXPECT_FALSE(slo.met_by(streamed(100ms, 10ms, 1001ms)));
}

TEST(PerRequestSlo, ATtftLimitFailsARequestWithoutTtftATpotLimitPassesOneWithoutTpot) {
  auto whole = streamed(0ms, 0ms, 100ms);
  whole.ttft.reset();  // not streamed: it cannot show it met a TTFT limit
  whole.tpot.reset();
  EXPECT_FALSE(per_request_slo{.ttft = 1s}.met_by(whole));
  EXPECT_TRUE(per_request_slo{.tpot = 1ms}.met_by(whole)) << "N <= 1: no TPOT to break (vLLM's goodput)";
  EXPECT_TRUE(per_request_slo{.e2e = 100ms}.met_by(whole));
}

TEST(PerRequestSlo, AnE2eLimitWithoutAnE2eJudgesTheLatency) {
  observation plain;  // no reader measured an E2E: the engine's latency stands in
  plain.latency = 300ms;
  EXPECT_TRUE(per_request_slo{.e2e = 300ms}.met_by(plain));
  EXPECT_FALSE(per_request_slo{.e2e = 299ms}.met_by(plain));
}

TEST(PerRequestSlo, JsonRejectsUnknownKeysAndBadLimits) {
  EXPECT_THROW(nlohmann::json({{"ttft", 100}}).get<per_request_slo>(), configuration_error);
  EXPECT_THROW(nlohmann::json({{"ttft_ms", -1}}).get<per_request_slo>(), configuration_error);
  EXPECT_THROW(nlohmann::json({{"ttft_ms", "fast"}}).get<per_request_slo>(), configuration_error);
  EXPECT_THROW(nlohmann::json::array().get<per_request_slo>(), configuration_error);
  const auto slo = nlohmann::json({{"tpot_ms", 12.5}}).get<per_request_slo>();
  EXPECT_EQ(slo.tpot, std::chrono::microseconds{12500});
  EXPECT_FALSE(slo.ttft);
}

TEST(PerRequestSlo, JsonRoundTripIsTheCanonicalTextAResultKeeps) {
  const per_request_slo slo{.ttft = 250ms, .tpot = 50ms, .e2e = 5s};
  const auto text = nlohmann::json(slo).dump();
  EXPECT_EQ(text, R"({"e2e_ms":5000.0,"tpot_ms":50.0,"ttft_ms":250.0})");
  EXPECT_EQ(nlohmann::json::parse(text).get<per_request_slo>(), slo);
  EXPECT_EQ(nlohmann::json(per_request_slo{}).dump(), "{}") << "run_info's default: no limit";
}

}  // namespace
}  // namespace loadgate::llm
