#include "loadgate/llm/llm_stats.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;

llm_observation streamed(std::chrono::nanoseconds ttft, std::vector<std::chrono::nanoseconds> gaps,
                         std::uint64_t tokens, token_count_source source = token_count_source::server) {
  llm_observation o;
  o.streamed = true;
  o.status = 200;
  o.ttft = ttft;
  o.e2e = ttft;
  for (const auto g : gaps) o.e2e += g;
  o.inter_token_gaps = std::move(gaps);
  o.output_tokens = tokens;
  o.token_source = source;
  o.prompt_tokens = 10;
  if (tokens > 1) o.tpot = (o.e2e - ttft) / static_cast<std::int64_t>(tokens - 1);
  o.finish_reason = "length";
  return o;
}

TEST(LlmStats, RecordsEveryMetricOfASuccess) {
  llm_stats s;
  auto o = streamed(100ms, {10ms, 20ms}, 3);
  o.server.queue_ms = 5;
  o.server.time_to_first_token_ms = 80;
  o.server.total_ms = 120;
  o.server.inference_ms = 115;
  s.record(o);
  EXPECT_EQ(s.successes(), 1u);
  EXPECT_EQ(s.ttft().count(), 1u);
  EXPECT_EQ(s.ttft().max(), 100'000);
  EXPECT_EQ(s.inter_token_gap().count(), 2u);
  EXPECT_EQ(s.tpot().max(), 15'000);
  EXPECT_EQ(s.e2e().max(), 130'000);
  EXPECT_EQ(s.output_tokens().max(), 3);
  EXPECT_EQ(s.output_tokens_total(), 3u);
  EXPECT_EQ(s.prompt_tokens_total(), 10u);
  EXPECT_EQ(s.token_counts_from_server(), 1u);
  EXPECT_EQ(s.finish_reasons().at("length"), 1u);
  EXPECT_EQ(s.server_queue().max(), 5'000);
  EXPECT_EQ(s.server_inference().max(), 115'000);
  EXPECT_EQ(s.ttft_minus_server_ttft().max(), 20'000);
  EXPECT_EQ(s.e2e_minus_server_total().max(), 10'000);
  EXPECT_EQ(s.met_slo(), 1u);  // no SLO: every success counts
}

TEST(LlmStats, FailuresAreCountedButNotTimed) {
  llm_stats s;
  auto o = streamed(100ms, {}, 1);
  o.failure = failure_kind::incomplete;
  s.record(o);
  EXPECT_EQ(s.failures(), 1u);
  EXPECT_EQ(s.successes(), 0u);
  EXPECT_TRUE(s.ttft().empty());
  EXPECT_EQ(s.met_slo(), 0u);
}

TEST(LlmStats, GoodputCountsRequestsMeetingEverySlo) {
  llm_stats s{per_request_slo{.ttft = 200ms, .tpot = 20ms, .e2e = {}}};
  s.record(streamed(100ms, {10ms, 10ms}, 3));  // meets both
  s.record(streamed(300ms, {10ms}, 2));        // TTFT too slow
  s.record(streamed(100ms, {50ms}, 2));        // TPOT too slow
  s.record(streamed(150ms, {}, 1));            // N = 1: no TPOT to break
  llm_observation whole;                       // not streamed: cannot show a TTFT
  whole.e2e = 10ms;
  s.record(whole);
  EXPECT_EQ(s.successes(), 5u);
  EXPECT_EQ(s.met_slo(), 2u);
}

TEST(LlmStats, TokenSourcesAreCountedApart) {
  llm_stats s;
  s.record(streamed(1ms, {1ms}, 2, token_count_source::server));
  s.record(streamed(1ms, {1ms}, 2, token_count_source::counted));
  s.record(streamed(1ms, {1ms}, 2, token_count_source::counted));
  EXPECT_EQ(s.token_counts_from_server(), 1u);
  EXPECT_EQ(s.token_counts_counted(), 2u);
}

TEST(LlmStats, MergeEqualsRecordingEverythingInOne) {
  const per_request_slo slo{.ttft = 150ms, .tpot = {}, .e2e = 1s};
  llm_stats a{slo}, b{slo}, all{slo};
  for (int i = 0; i < 50; ++i) {
    auto o = streamed(std::chrono::milliseconds{50 + i * 3}, {std::chrono::milliseconds{i % 7 + 1}}, 2);
    o.finish_reason = i % 3 == 0 ? "eos_token" : "length";
    o.server.queue_ms = i;
    (i % 2 == 0 ? a : b).record(o);
    all.record(o);
  }
  a.merge(b);
  EXPECT_EQ(a, all);
  EXPECT_EQ(a.finish_reasons().at("eos_token"), 17u);
}

TEST(LlmStats, MergingDifferentSlosIsAnError) {
  llm_stats a{per_request_slo{.ttft = 1s, .tpot = {}, .e2e = {}}};
  llm_stats b{per_request_slo{.ttft = 2s, .tpot = {}, .e2e = {}}};
  EXPECT_THROW(a.merge(b), configuration_error);
}

TEST(LlmStats, JsonRoundTrip) {
  llm_stats s{per_request_slo{.ttft = 250ms, .tpot = 40ms, .e2e = 5s}};
  auto o = streamed(120ms, {10ms, 30ms, 20ms}, 4);
  o.server.time_to_first_token_ms = 100.5;
  o.server.total_ms = 170;
  s.record(o);
  auto failed = o;
  failed.failure = failure_kind::overloaded;
  s.record(failed);
  const nlohmann::json j = s;
  EXPECT_EQ(j.at("slo").at("ttft_ms"), 250.0);
  EXPECT_EQ(j.at("token_count_source").at("server"), 1);
  const auto back = j.get<llm_stats>();
  EXPECT_EQ(back, s);
  EXPECT_EQ(nlohmann::json(back), j);
}

TEST(PerRequestSlo, JsonRejectsUnknownKeysAndBadLimits) {
  EXPECT_THROW(nlohmann::json({{"ttft", 100}}).get<per_request_slo>(), configuration_error);
  EXPECT_THROW(nlohmann::json({{"ttft_ms", -1}}).get<per_request_slo>(), configuration_error);
  const auto slo = nlohmann::json({{"tpot_ms", 12.5}}).get<per_request_slo>();
  EXPECT_EQ(slo.tpot, std::chrono::microseconds{12500});
  EXPECT_FALSE(slo.ttft);
}

}  // namespace
}  // namespace loadgate::llm
