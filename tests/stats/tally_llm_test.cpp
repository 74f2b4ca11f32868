// The LLM measures of a tally (what llm::llm_stats kept before): TTFT, gaps, TPOT, E2E, tokens,
// the server's own timings and the client-minus-server differences, goodput's met_slo, finish
// reasons; exact merges and JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/llm/per_request_slo.hpp"
#include "loadgate/tally.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

// A streamed success as llm_reader::observe hands it over; met_slo as the Recorder sets it.
observation streamed(std::chrono::nanoseconds ttft, std::vector<std::chrono::nanoseconds> gaps, std::uint64_t tokens,
                     token_count_source source = token_count_source::server, const llm::per_request_slo& slo = {}) {
  observation o;
  o.llm = true;
  o.ttft = ttft;
  std::chrono::nanoseconds e2e = ttft;
  for (const auto g : gaps) e2e += g;
  o.e2e = e2e;
  o.latency = e2e + 1ms;  // the response's end, after the last content event
  o.latency_uncorrected = o.latency;
  o.inter_token_gaps = std::move(gaps);
  o.output_tokens = tokens;
  o.token_source = source;
  o.prompt_tokens = 10;
  if (tokens > 1) o.tpot = (e2e - ttft) / static_cast<std::int64_t>(tokens - 1);
  o.finish_reason = "length";
  o.met_slo = o.ok() && slo.met_by(o);
  return o;
}

TEST(TallyLlm, RecordsEveryMetricOfASuccess) {
  tally s;
  auto o = streamed(100ms, {10ms, 20ms}, 3);
  o.server_queue = 5ms;
  o.server_ttft = 80ms;
  o.server_tpot = 14ms;
  o.server_total = 120ms;
  o.server_inference = 115ms;
  s.record(o);
  EXPECT_EQ(s.successes(), 1u);
  EXPECT_EQ(s.of(measure::ttft).count(), 1u);
  EXPECT_EQ(s.of(measure::ttft).max(), 100'000);
  EXPECT_EQ(s.of(measure::inter_token_gap).count(), 2u);
  EXPECT_EQ(s.of(measure::inter_token_gap).min(), 10'000);
  EXPECT_EQ(s.of(measure::tpot).max(), 15'000);
  EXPECT_EQ(s.of(measure::e2e).max(), 130'000);
  EXPECT_EQ(s.latency().max(), 131'000);
  EXPECT_EQ(s.of(measure::output_tokens).max(), 3);
  EXPECT_EQ(s.output_tokens_total(), 3u);
  EXPECT_EQ(s.prompt_tokens_total(), 10u);
  EXPECT_EQ(s.token_counts_from_server(), 1u);
  EXPECT_EQ(s.token_counts_counted(), 0u);
  EXPECT_EQ(s.finish_reasons().at("length"), 1u);
  EXPECT_EQ(s.of(measure::server_queue).max(), 5'000);
  EXPECT_EQ(s.of(measure::server_ttft).max(), 80'000);
  EXPECT_EQ(s.of(measure::server_tpot).max(), 14'000);
  EXPECT_EQ(s.of(measure::server_inference).max(), 115'000);
  EXPECT_EQ(s.of(measure::server_total).max(), 120'000);
  EXPECT_EQ(s.of(measure::ttft_minus_server_ttft).max(), 15'000) << "100 ms − (120 − 115 + 80) ms: the server's TTFT runs from batch entry";
  EXPECT_EQ(s.of(measure::e2e_minus_server_total).max(), 10'000);
  EXPECT_EQ(s.met_slo(), 1u);  // no SLO: every success counts
}

TEST(TallyLlm, ServerMinusClientDifferencesNeedBothSides) {
  tally s;
  auto o = streamed(100ms, {10ms}, 2);
  o.server_ttft = 99'999'600ns;  // the client saw 0.4 µs more: rounds to 0, counted as 1 µs
  o.server_total = o.server_inference = 110ms;  // no queue: receipt to first token is the TTFT
  s.record(o);
  auto rounded_above = streamed(50ms, {10ms}, 2);
  rounded_above.server_ttft = 50'000'400ns;  // the server's figure rounds above the client's
  rounded_above.server_total = rounded_above.server_inference = 60'000'100ns;
  s.record(rounded_above);
  auto ttft_alone = streamed(70ms, {10ms}, 2);
  ttft_alone.server_ttft = 20ms;  // from batch entry: without total and inference, not comparable
  s.record(ttft_alone);
  auto no_server = streamed(70ms, {10ms}, 2);
  s.record(no_server);
  auto no_client_ttft = streamed(70ms, {}, 1);
  no_client_ttft.ttft.reset();  // not streamed: no TTFT on the client's side
  no_client_ttft.server_ttft = 3ms;
  s.record(no_client_ttft);
  EXPECT_EQ(s.of(measure::server_ttft).count(), 4u);
  EXPECT_EQ(s.of(measure::ttft_minus_server_ttft).count(), 2u) << "only where both sides measured a TTFT";
  EXPECT_EQ(s.of(measure::ttft_minus_server_ttft).min(), 1);
  EXPECT_EQ(s.of(measure::ttft_minus_server_ttft).max(), 1);
  EXPECT_EQ(s.of(measure::e2e_minus_server_total).count(), 2u);
  EXPECT_EQ(s.of(measure::e2e_minus_server_total).max(), 1) << "below 1 µs counts as 1 µs";
}

TEST(TallyLlm, FailuresAreCountedButNotTimed) {
  tally s;
  auto o = streamed(100ms, {}, 1);
  o.failure = failure_kind::incomplete;
  o.cause = "stream cut before its final event";
  o.met_slo = o.ok() && llm::per_request_slo{}.met_by(o);
  s.record(o);
  EXPECT_EQ(s.failures(), 1u);
  EXPECT_EQ(s.failures(failure_kind::incomplete), 1u);
  EXPECT_EQ(s.successes(), 0u);
  EXPECT_TRUE(s.of(measure::ttft).empty());
  EXPECT_TRUE(s.of(measure::e2e).empty());
  EXPECT_TRUE(s.latency().empty());
  EXPECT_EQ(s.output_tokens_total(), 0u);
  EXPECT_TRUE(s.finish_reasons().empty());
  EXPECT_EQ(s.met_slo(), 0u);
}

TEST(TallyLlm, GoodputCountsRequestsMeetingEverySlo) {
  const llm::per_request_slo slo{.ttft = 200ms, .tpot = 20ms, .e2e = {}};
  tally s;
  s.record(streamed(100ms, {10ms, 10ms}, 3, token_count_source::server, slo));  // meets both
  s.record(streamed(300ms, {10ms}, 2, token_count_source::server, slo));        // TTFT too slow
  s.record(streamed(100ms, {50ms}, 2, token_count_source::server, slo));        // TPOT too slow
  s.record(streamed(150ms, {}, 1, token_count_source::server, slo));            // N = 1: no TPOT to break
  observation whole;                                                            // not streamed: cannot show a TTFT
  whole.llm = true;
  whole.e2e = 10ms;
  whole.latency = 10ms;
  whole.met_slo = slo.met_by(whole);
  s.record(whole);
  EXPECT_EQ(s.successes(), 5u);
  EXPECT_EQ(s.met_slo(), 2u);
}

TEST(TallyLlm, TokenSourcesAreCountedApart) {
  tally s;
  s.record(streamed(1ms, {1ms}, 2, token_count_source::server));
  s.record(streamed(1ms, {1ms}, 2, token_count_source::counted));
  s.record(streamed(1ms, {1ms}, 2, token_count_source::counted));
  auto unknown = streamed(1ms, {1ms}, 2, token_count_source::none);
  unknown.output_tokens.reset();
  s.record(unknown);
  EXPECT_EQ(s.token_counts_from_server(), 1u);
  EXPECT_EQ(s.token_counts_counted(), 2u);
  EXPECT_EQ(s.output_tokens_total(), 6u);
  EXPECT_EQ(s.of(measure::output_tokens).count(), 3u);
  EXPECT_EQ(s.successes(), 4u);
}

TEST(TallyLlm, ZeroOutputTokensCountAsOneInTheHistogramNotInTheTotal) {
  tally s;
  s.record(streamed(1ms, {}, 0));
  EXPECT_EQ(s.of(measure::output_tokens).count(), 1u);
  EXPECT_EQ(s.of(measure::output_tokens).max(), 1);
  EXPECT_EQ(s.output_tokens_total(), 0u);
}

TEST(TallyLlm, MergeEqualsRecordingEverythingInOne) {
  const llm::per_request_slo slo{.ttft = 150ms, .tpot = {}, .e2e = 1s};
  tally a, b, all;
  for (int i = 0; i < 50; ++i) {
    auto o = streamed(std::chrono::milliseconds{50 + i * 3}, {std::chrono::milliseconds{i % 7 + 1}}, 2,
                      i % 5 ? token_count_source::server : token_count_source::counted, slo);
    o.finish_reason = i % 3 == 0 ? "eos_token" : "length";
    o.server_queue = std::chrono::milliseconds{i};
    o.server_ttft = std::chrono::milliseconds{40 + i * 3};
    if (i % 11 == 0) {
      o.failure = failure_kind::stream_error;
      o.cause = "generation: CUDA out of memory " + std::to_string(i);
      o.met_slo = false;
    }
    (i % 2 == 0 ? a : b).record(o);
    all.record(o);
  }
  auto ab = a;
  ab.merge(b);
  auto ba = b;
  ba.merge(a);
  EXPECT_EQ(ab.count(), all.count());
  EXPECT_EQ(ab.met_slo(), all.met_slo());
  for (std::size_t m = 0; m < measure_count; ++m) {
    EXPECT_EQ(ab.of(static_cast<measure>(m)), all.of(static_cast<measure>(m))) << to_string(static_cast<measure>(m));
    EXPECT_EQ(ba.of(static_cast<measure>(m)), all.of(static_cast<measure>(m))) << to_string(static_cast<measure>(m));
  }
  EXPECT_EQ(ab.finish_reasons(), all.finish_reasons());
  EXPECT_EQ(ab.finish_reasons().at("eos_token"), 17u - 2u) << "i = 0 and 33 failed";
  EXPECT_EQ(ab.met_slo(), ba.met_slo());
  EXPECT_EQ(ab.token_counts_counted(), all.token_counts_counted());
  EXPECT_EQ(ab.failures(failure_kind::stream_error), 5u);
  // Examples keep the order seen: within one tally, the merge puts a's causes first.
  EXPECT_EQ(ab.examples().at(failure_kind::stream_error).size(), 5u);
  auto without_examples = [](tally t) {
    nlohmann::json j = t;
    j.erase("examples");
    return j;
  };
  EXPECT_EQ(without_examples(ab), without_examples(all));
  EXPECT_EQ(without_examples(ba), without_examples(all));
}

TEST(TallyLlm, JsonRoundTrip) {
  const llm::per_request_slo slo{.ttft = 250ms, .tpot = 40ms, .e2e = 5s};
  tally s;
  auto o = streamed(120ms, {10ms, 30ms, 20ms}, 4, token_count_source::server, slo);
  o.server_ttft = 100'500us;
  o.server_total = o.server_inference = 170ms;
  s.record(o);
  auto counted = streamed(90ms, {10ms}, 2, token_count_source::counted, slo);
  counted.finish_reason = "eos_token";
  s.record(counted);
  auto failed = o;
  failed.failure = failure_kind::overloaded;
  failed.cause = "overloaded: Model is overloaded";
  failed.met_slo = false;
  s.record(failed);
  const nlohmann::json j = s;
  EXPECT_EQ(j.at("successes"), 2);
  EXPECT_EQ(j.at("failures").at("overloaded"), 1);
  EXPECT_EQ(j.at("met_slo"), 2);
  EXPECT_EQ(j.at("token_counts_from_server"), 1);
  EXPECT_EQ(j.at("token_counts_counted"), 1);
  EXPECT_EQ(j.at("output_tokens_total"), 6);
  EXPECT_EQ(j.at("prompt_tokens_total"), 20);
  EXPECT_EQ(j.at("finish_reasons"), nlohmann::json::parse(R"({"eos_token":1,"length":1})"));
  for (const char* key : {"ttft_us", "inter_token_gap_us", "tpot_us", "e2e_us", "output_tokens", "server_ttft_us",
                          "server_total_us", "ttft_minus_server_ttft_us", "e2e_minus_server_total_us"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("server_queue_us"));
  const auto back = nlohmann::json::parse(j.dump()).get<tally>();
  EXPECT_EQ(back, s);
  EXPECT_EQ(nlohmann::json(back), j);
  EXPECT_EQ(back.of(measure::ttft_minus_server_ttft).max(), 19'500);
}

}  // namespace
}  // namespace loadgate
