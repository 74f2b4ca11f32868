#include "loadgate/llm/server_timing.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace loadgate::llm {
namespace {

TEST(ServerTiming, CapturesEveryTimingHeaderCaseInsensitively) {
  server_timing t;
  EXPECT_TRUE(t.capture("X-Queue-Time", "1"));
  EXPECT_TRUE(t.capture("x-time-to-first-token", "2.25"));
  EXPECT_TRUE(t.capture("x-inference-time", " 3 "));
  EXPECT_TRUE(t.capture("X-TOTAL-TIME", "4.5"));
  EXPECT_TRUE(t.capture("x-time-per-token", "0.125"));
  EXPECT_TRUE(t.capture("x-generated-tokens", "64"));
  EXPECT_TRUE(t.capture("x-prompt-tokens", "9"));
  EXPECT_TRUE(t.capture("x-adapter-id", "org/a"));
  EXPECT_FALSE(t.capture("content-type", "text/event-stream"));
  EXPECT_FALSE(t.capture("x-compute-type", "gpu"));
  EXPECT_EQ(t.queue_ms, 1.5) << "whole milliseconds are truncated: the middle of [1, 2)";
  EXPECT_EQ(t.time_to_first_token_ms, 2.25);
  EXPECT_EQ(t.inference_ms, 3.5);
  EXPECT_EQ(t.total_ms, 4.5);
  EXPECT_EQ(t.time_per_token_ms, 0.125);
  EXPECT_EQ(t.generated_tokens, 64u);
  EXPECT_EQ(t.prompt_tokens, 9u);
  EXPECT_EQ(t.adapter_id, "org/a");
  EXPECT_FALSE(t.signals_cold_load());
}

// LoRAX's non-streamed response, as its router writes it (as_millis: truncated whole ms).
TEST(ServerTiming, LoraxsWholeMillisecondHeadersReadAsTheMiddleOfTheirMillisecond) {
  server_timing t;
  EXPECT_TRUE(t.capture("x-time-per-output-token", "24"));
  EXPECT_TRUE(t.capture("x-time-to-first-token", "0"));
  EXPECT_TRUE(t.capture("x-total-time", "812"));
  EXPECT_EQ(t.time_per_output_token_ms, 24.5) << "the server's TPOT, which LoRAX does send";
  EXPECT_EQ(t.time_to_first_token_ms, 0.5) << "0 means under a millisecond, not none";
  EXPECT_EQ(t.total_ms, 812.5);
  EXPECT_TRUE(t.capture("x-total-time", "812.000"));
  EXPECT_EQ(t.total_ms, 812.0) << "a fraction written out is exact";
}

TEST(ServerTiming, BadValuesAreIgnoredNotFatal) {
  server_timing t;
  t.capture("x-queue-time", "soon");
  t.capture("x-total-time", "-3");
  t.capture("x-generated-tokens", "1.5");
  EXPECT_FALSE(t.queue_ms);
  EXPECT_FALSE(t.total_ms);
  EXPECT_FALSE(t.generated_tokens);
}

TEST(ServerTiming, AdapterLoadTimeAboveZeroIsACold) {
  server_timing t;
  t.capture("x-adapter-load-time", "0");
  EXPECT_FALSE(t.signals_cold_load());
  t.capture("x-adapter-load-time", "812.5");
  EXPECT_TRUE(t.signals_cold_load());
  EXPECT_EQ(nlohmann::json(t).at("adapter_load_ms"), 812.5);
}

}  // namespace
}  // namespace loadgate::llm
