// LoRAX's batching, checked from the client against the model's prediction: the token budget
// bounds the running batch (each request reserves input + max_new_tokens of
// max_batch_total_tokens), a prefill takes at most max_batch_prefill_tokens, and a running batch
// takes new requests only when floor(size × waiting_served_ratio) of them fit, else after
// max_waiting_tokens decode steps — the TTFT sawtooth — in a prefill step of its own that stalls
// the running streams (router/src/infer.rs batching_task, scheduler.rs next_batch).
#include "sim_process.hpp"
#include "test_client.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace sim_test {
namespace {

using nlohmann::json;

// Steps of 10 + 0.5 per sequence model ms, by default no cost per input token: five running
// streams get a token every 12.5 ms.
std::vector<std::string> batching_flags(std::vector<std::string> extra = {}, const std::string& prefill_per_token_ms = "0") {
  std::vector<std::string> flags{"--step-base-ms", "10", "--step-per-sequence-ms", "0.5", "--prefill-per-token-ms",
                                 prefill_per_token_ms, "--time-scale", "1"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return flags;
}

std::string generation_body(int words, int new_tokens) {
  std::string prompt;
  for (int i = 0; i < words; ++i) prompt += "word ";
  return json{{"inputs", prompt}, {"parameters", {{"max_new_tokens", new_tokens}}}}.dump();
}

// Until the batch holds `n` sequences and has run a decode step with all of them, so that a new
// round, whose admissions need floor(n × waiting_served_ratio), has begun (polls /metrics; 5 s).
bool wait_for_decoding_batch(std::uint16_t port, double n) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  const auto decodes = [port](double& batch) {
    const auto text = get(port, "/metrics").body;
    batch = metric_value(text, "lorax_batch_current_size");
    return metric_value(text, "lorax_batch_inference_count{method=\"decode\"}");
  };
  double batch = 0, before = -1;
  while (std::chrono::steady_clock::now() < give_up) {
    const double now = decodes(batch);
    if (batch >= n && before < 0) before = now;
    else if (batch >= n && now > before) return true;
    std::this_thread::yield();
  }
  return false;
}

// How often a running batch took new requests for `reason` so far (LoRAX's lorax_batch_concat).
double concats(std::uint16_t port, const std::string& reason) {
  return std::max(0.0, metric_value(get(port, "/metrics").body, "lorax_batch_concat{reason=\"" + reason + "\"}"));
}

// The gap between token i and token i + 1 (1-based; the final event is the last token).
double gap_after(const reply& r, std::size_t i) { return r.events[i].at_ms - r.events[i - 1].at_ms; }

// Where a stream was held up longest: the i of its longest gap_after(i).
std::size_t longest_gap_after(const reply& r) {
  std::size_t at = 0;
  double longest = -1;
  for (std::size_t i = 1; i < r.events.size(); ++i)
    if (const double gap = r.events[i].at_ms - r.events[i - 1].at_ms; gap > longest) {
      longest = gap;
      at = i;
    }
  return at;
}

double median_gap(const reply& r) {
  std::vector<double> gaps;
  for (std::size_t i = 1; i < r.events.size(); ++i) gaps.push_back(r.events[i].at_ms - r.events[i - 1].at_ms);
  std::ranges::sort(gaps);
  return gaps.empty() ? 0 : gaps[gaps.size() / 2];
}

// Five long streams run; one more request arrives a step or two later. A batch of five takes new
// requests only when floor(5 × 1.2) = 6 of them fit, so the one waits until max_waiting_tokens
// decode steps have passed since the five were last joined by a prefill (LoRAX counts that take
// as wait_exceeded), and its prefill then stalls them: the five streams are held up right after
// their token max_waiting_tokens (the first token comes from a prefill, the next from decode
// steps; one token later for streams prefilled a step before the others). Six arriving together
// fit the ratio and join at the next step (backpressure, in LoRAX's words).
TEST(Batching, ARunningBatchTakesFewerThanRatioTimesItsSizeOnlyAfterMaxWaitingTokens) {
  for (const int max_waiting : {20, 10}) {
    SCOPED_TRACE("max_waiting_tokens " + std::to_string(max_waiting));
    sim_process sim(batching_flags({"--max-waiting-tokens", std::to_string(max_waiting)}));
    const std::vector<request> five(5, request{"POST", "/generate_stream", generation_body(4, 40), "127.0.0.1", sim.port()});
    auto running = std::async(std::launch::async, [&five] { return send_concurrently(five); });
    ASSERT_TRUE(wait_for_decoding_batch(sim.port(), 5));
    const double waits_before = concats(sim.port(), "wait_exceeded");
    const auto late = post(sim.port(), "/generate_stream", generation_body(4, 2));
    ASSERT_EQ(late.status, 200) << late.body;
    const auto timings = json::parse(late.events.back().data).at("timings");
    EXPECT_GT(timings.at("queue_ms").get<double>(), 12.5 * max_waiting / 2) << "it waited although the batch had room";
    EXPECT_EQ(concats(sim.port(), "wait_exceeded"), waits_before + 1) << "taken once the wait was over";
    // A stall is a gap of a prefill step (10.5 ms for one) and a decode step (13 ms for six),
    // against 12.5 ms. Streams prefilled with the last of the five were stalled only by the late
    // one, right after their token max_waiting_tokens; any prefilled before were stalled by the
    // rest of the five as well, and by the late one later.
    std::size_t stalled_once_at_the_limit = 0;
    for (const auto& r : running.get()) {
      ASSERT_EQ(r.status, 200);
      ASSERT_EQ(r.events.size(), 40u);
      std::vector<std::size_t> stalls;
      for (std::size_t i = 1; i < r.events.size(); ++i)
        if (gap_after(r, i) > 1.5 * median_gap(r)) stalls.push_back(i);
      ASSERT_FALSE(stalls.empty()) << "the late one's prefill stalls every running stream";
      EXPECT_GE(stalls.back(), static_cast<std::size_t>(max_waiting));
      if (stalls == std::vector<std::size_t>{static_cast<std::size_t>(max_waiting)}) ++stalled_once_at_the_limit;
    }
    EXPECT_GE(stalled_once_at_the_limit, 1u);
  }
  sim_process sim(batching_flags());
  const std::vector<request> five(5, request{"POST", "/generate_stream", generation_body(4, 40), "127.0.0.1", sim.port()});
  auto running = std::async(std::launch::async, [&five] { return send_concurrently(five); });
  ASSERT_TRUE(wait_for_decoding_batch(sim.port(), 5));
  const double waits_before = concats(sim.port(), "wait_exceeded"), ratio_takes_before = concats(sim.port(), "backpressure");
  const auto six = send_concurrently(std::vector<request>(6, request{"POST", "/generate_stream", generation_body(4, 2), "127.0.0.1", sim.port()}));
  for (const auto& r : six) {
    ASSERT_EQ(r.status, 200);
    EXPECT_LT(json::parse(r.events.back().data).at("timings").at("queue_ms").get<double>(), 12.5 * 3) << "six fit the ratio";
  }
  EXPECT_GT(concats(sim.port(), "backpressure"), ratio_takes_before);
  EXPECT_EQ(concats(sim.port(), "wait_exceeded"), waits_before) << "not one taken for want of a wait";
  (void)running.get();
}

// A prefill is a forward pass of its own: the running streams get no token during it, so their
// gap there is a prefill step plus a decode step. With chunked prefill the new request is
// prefilled inside the running batch's step, which still gives each stream its token.
TEST(Batching, APrefillStallsTheRunningStreamsUnlessChunked) {
  for (const bool chunked : {false, true}) {
    SCOPED_TRACE(chunked ? "chunked prefill" : "LoRAX's default");
    // Room for one more at once: floor(1 × 1.2) = 1, and a costly prefill (200 input tokens).
    sim_process sim(batching_flags({"--chunked-prefill", chunked ? "true" : "false"}, "0.25"));
    auto running = std::async(std::launch::async, [&sim] { return post(sim.port(), "/generate_stream", generation_body(4, 30)); });
    ASSERT_TRUE(wait_for_decoding_batch(sim.port(), 1));
    ASSERT_EQ(post(sim.port(), "/generate_stream", generation_body(200, 2)).status, 200);
    const auto r = running.get();
    ASSERT_EQ(r.events.size(), 30u);
    const double longest = gap_after(r, longest_gap_after(r));
    // Chunked: one step of both, 10 + 2 × 0.5 + 200 × 0.25 = 61 ms. Not: a prefill step of its
    // own (60.5 ms), then a decode step of two (11 ms), 71.5 ms.
    if (chunked) EXPECT_LT(longest, 66.0) << "one step of both, prefill included: " << median_gap(r) << " ms typical";
    else EXPECT_GT(longest, 66.0) << "a prefill step, then the decode step";
    EXPECT_LT(median_gap(r), 12.0);
  }
}

// Chunked, a step holds max_batch_prefill_tokens tokens (vLLM's max_num_batched_tokens): a
// running stream's token, then what is left of the budget for a prompt, which goes on in the next
// steps when it is longer. The stream keeps a token per step of at most the budget's cost, and
// the long prompt's first token comes after its last chunk.
TEST(Batching, ChunkedPrefillSplitsALongPromptOverSeveralSteps) {
  // 64 tokens a step: the stream's one and 63 of the 127-token prompt, then 63 and 1 (three
  // steps; a budget that forgot the stream's token would take two, 64 and 63). A prompt longer
  // than the budget is refused at start-up only when prefill is not chunked.
  sim_process sim(batching_flags({"--chunked-prefill", "true", "--max-batch-prefill-tokens", "64"}, "0.25"));
  auto running = std::async(std::launch::async, [&sim] { return post(sim.port(), "/generate_stream", generation_body(4, 40)); });
  ASSERT_TRUE(wait_for_decoding_batch(sim.port(), 1));
  const auto prefills = [&sim] {
    return metric_value(get(sim.port(), "/metrics").body, "lorax_batch_inference_count{method=\"prefill\"}");
  };
  const double prefills_before = prefills();
  const auto long_prompt = post(sim.port(), "/generate_stream", generation_body(127, 2));
  ASSERT_EQ(long_prompt.status, 200) << long_prompt.body;
  EXPECT_EQ(prefills() - prefills_before, 3) << "steps that carried a chunk of it";
  ASSERT_FALSE(long_prompt.events.empty());
  // Three steps, 2 × (10 + 2 × 0.5 + 63 × 0.25) + 10 + 1 + 0.25 = 64.75 ms, where the whole
  // prompt in one step would give its first token after 42.75.
  EXPECT_GT(long_prompt.events.front().at_ms, 55.0);
  const auto r = running.get();
  ASSERT_EQ(r.events.size(), 40u);
  // A step of at most 26.75 ms while the prompt is prefilled.
  EXPECT_LT(gap_after(r, longest_gap_after(r)), 40.0) << median_gap(r) << " ms typical";
}

// Each request reserves input + max_new_tokens of max_batch_total_tokens: with 120 and requests of
// 5 + 40 = 45, two run at once and a third waits for one to finish, though the batch has room for
// more sequences. A prefill takes at most max_batch_prefill_tokens of input.
TEST(Batching, TheTokenBudgetBoundsTheBatch) {
  sim_process sim(batching_flags({"--max-total-tokens", "60", "--max-batch-total-tokens", "120"}));
  const auto replies = send_concurrently(std::vector<request>(4, request{"POST", "/generate", generation_body(5, 40), "127.0.0.1", sim.port()}));
  struct span {
    double entry, exit;
  };
  std::vector<span> spans;
  for (const auto& r : replies) {
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.header_number("x-prompt-tokens"), 5);
    const double entry = r.header_number("x-validation-time") + r.header_number("x-queue-time");
    spans.push_back({entry, entry + r.header_number("x-inference-time")});
  }
  // At most two at any moment (a millisecond's slack at the ends: the requests' sends differ).
  for (const auto& at : spans) {
    const double t = at.entry + 1;
    EXPECT_LE(std::ranges::count_if(spans, [t](const span& s) { return s.entry <= t && t < s.exit - 1; }), 2);
  }
  std::ranges::sort(spans, {}, &span::entry);
  EXPECT_GE(spans[2].entry, std::min(spans[0].exit, spans[1].exit) - 1) << "the third waited for a finish";
  const auto metrics = get(sim.port(), "/metrics").body;
  EXPECT_EQ(metric_value(metrics, "lorax_batch_next_size_sum"), 4);
  EXPECT_EQ(metric_value(metrics, "lorax_batch_next_size_bucket{le=\"2\"}"), metric_value(metrics, "lorax_batch_next_size_count"));

  sim_process narrow(batching_flags({"--max-input-length", "10", "--max-batch-prefill-tokens", "10"}));
  ASSERT_EQ(send_concurrently(std::vector<request>(4, request{"POST", "/generate", generation_body(5, 4), "127.0.0.1", narrow.port()})).size(), 4u);
  const auto narrow_metrics = get(narrow.port(), "/metrics").body;
  EXPECT_GE(metric_value(narrow_metrics, "lorax_batch_inference_count{method=\"prefill\"}"), 2) << "two prompts of 5 per prefill";
  EXPECT_EQ(metric_value(narrow_metrics, "lorax_batch_next_size_bucket{le=\"2\"}"), metric_value(narrow_metrics, "lorax_batch_next_size_count"));
}

// LoRAX's launcher refuses the same: a request within the per-request limits must fit an empty batch.
TEST(Batching, BudgetsThatCannotHoldOneRequestAreRefused) {
  EXPECT_EQ(refused_start("--max-total-tokens 100 --max-batch-total-tokens 99"),
            "lorax-sim: --max-batch-total-tokens (99) must be at least --max-total-tokens (100) (see --help)\n");
  EXPECT_EQ(refused_start("--max-input-length 100 --max-batch-prefill-tokens 99"),
            "lorax-sim: --max-batch-prefill-tokens (99) must be at least --max-input-length (100) (see --help)\n");
}

}  // namespace
}  // namespace sim_test
