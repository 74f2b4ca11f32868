// What an LLM reader hands over after the exchange (llm_reader::observe): the engine's
// observation gains the TTFT, gaps, tokens, the adapter and whether the server loaded it, the
// server's own timings converted from milliseconds to nanoseconds, and the server's words as the
// failure's cause.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "loadgate/llm/non_streaming_reader.hpp"
#include "loadgate/llm/stream_reader.hpp"
#include "loadgate/tally.hpp"
#include "recorded_streams.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

using test::t0;

// The observation perform_task builds from the exchange before the reader adds its own figures.
observation engine_observation(std::optional<failure_kind> failure, std::chrono::nanoseconds latency,
                               std::string cause = {}) {
  observation o;
  o.failure = failure;
  o.cause = std::move(cause);
  o.start = t0;
  o.latency = latency;
  o.latency_uncorrected = latency;
  return o;
}

TEST(ReaderObservation, AStreamHandsOverItsTimingsInNanoseconds) {
  stream_reader reader;
  reader.start(t0);
  reader.on_status(200);
  reader.on_header("x-adapter-id", "org/a");
  reader.on_body("data:{\"token\":{\"id\":1,\"text\":\" a\"},\"generated_text\":null,\"details\":null}\n\n", t0 + 10ms);
  reader.on_body("data:{\"token\":{\"id\":2,\"text\":\" b\"},\"generated_text\":\" a b\",\"details\":null,"
                 "\"timings\":{\"time_to_first_token_ms\":9.5,\"time_per_output_token_ms\":4.25,\"total_ms\":15.0,"
                 "\"queue_ms\":0.0004,\"inference_ms\":14.999999,\"adapter_load_ms\":3.5}}\n\n",
                 t0 + 15ms);
  const auto verdict = reader.finish(t0 + 16ms);
  ASSERT_FALSE(verdict);
  auto o = engine_observation(verdict, 16ms);
  reader.observe(o);
  EXPECT_TRUE(o.llm);
  EXPECT_TRUE(o.ok());
  EXPECT_EQ(o.adapter, "org/a") << "from x-adapter-id: the request did not say";
  EXPECT_EQ(o.adapter_loaded, true) << "adapter_load_ms > 0: a cold load";
  EXPECT_EQ(o.ttft, 10ms);
  EXPECT_EQ(o.inter_token_gaps, (std::vector<std::chrono::nanoseconds>{5ms}));
  EXPECT_EQ(o.e2e, 15ms);
  EXPECT_EQ(o.latency, 16ms) << "the engine's figure stays";
  EXPECT_EQ(o.output_tokens, 2u);
  EXPECT_EQ(o.token_source, token_count_source::counted);
  EXPECT_EQ(o.server_ttft, 9'500'000ns);
  EXPECT_EQ(o.server_tpot, 4'250'000ns);
  EXPECT_EQ(o.server_total, 15ms);
  EXPECT_EQ(o.server_inference, 14'999'999ns);
  EXPECT_EQ(o.server_queue, 400ns) << "rounded to the nanosecond, not truncated to the microsecond";
  EXPECT_TRUE(o.cause.empty());

  // What the tally makes of it: client minus server, per request.
  tally t;
  t.record(o);
  EXPECT_EQ(t.of(measure::server_ttft).max(), 9'500);
  EXPECT_EQ(t.of(measure::ttft_minus_server_ttft).max(), 500) << "10 − (15 − 14.999999 + 9.5) ms, to the µs";
  EXPECT_EQ(t.of(measure::e2e_minus_server_total).max(), 1) << "0 µs counts as 1 µs";
  EXPECT_EQ(t.of(measure::server_tpot).max(), 4'250);
}

TEST(ReaderObservation, AWholeResponseHandsOverTheHeadersTimings) {
  non_streaming_reader reader;
  http_request request;
  request.adapter = "org/sql-lora";
  reader.begin(request, t0);
  reader.on_status(200);
  reader.on_header("x-total-time", "24.2");
  reader.on_header("x-time-to-first-token", "3");
  reader.on_header("x-queue-time", "1.5");
  reader.on_header("x-adapter-id", "org/other");
  reader.on_header("x-adapter-load-time", "0");
  reader.on_body(R"({"generated_text":" hi","details":{"finish_reason":"length","prompt_tokens":5,"generated_tokens":64}})",
                 t0 + 25ms);
  const auto verdict = reader.finish(t0 + 25ms);
  ASSERT_FALSE(verdict);
  auto o = engine_observation(verdict, 25ms);
  reader.observe(o);
  EXPECT_TRUE(o.llm);
  EXPECT_EQ(o.adapter, "org/sql-lora") << "the requested adapter wins over the header";
  EXPECT_EQ(o.adapter_loaded, false) << "a load time of 0 is no load";
  EXPECT_FALSE(o.ttft) << "a whole body has no first token on the client side";
  EXPECT_EQ(o.e2e, 25ms);
  EXPECT_EQ(o.output_tokens, 64u);
  EXPECT_EQ(o.token_source, token_count_source::server);
  EXPECT_EQ(o.prompt_tokens, 5u);
  EXPECT_EQ(o.finish_reason, "length");
  EXPECT_EQ(o.server_total, 24'200'000ns);
  EXPECT_EQ(o.server_ttft, 3'500us) << "a whole millisecond read as the middle of [3, 4)";
  EXPECT_EQ(o.server_queue, 1'500us);
  EXPECT_FALSE(o.server_tpot);
  tally t;
  t.record(o);
  EXPECT_TRUE(t.of(measure::ttft_minus_server_ttft).empty()) << "no client TTFT to compare";
  EXPECT_EQ(t.of(measure::e2e_minus_server_total).max(), 800);
}

TEST(ReaderObservation, TheServersWordsBecomeTheCause) {
  {
    stream_reader reader;
    reader.start(t0);
    reader.on_status(200);
    reader.on_body(std::string{test::lorax_overloaded_stream}, t0 + 5ms);
    const auto verdict = reader.finish(t0 + 6ms);
    ASSERT_EQ(verdict, failure_kind::overloaded);
    auto o = engine_observation(verdict, 6ms);
    reader.observe(o);
    EXPECT_EQ(o.cause, "overloaded: Model is overloaded");
  }
  {
    stream_reader reader;
    reader.start(t0);
    reader.on_status(422);
    reader.on_body(R"({"error":"Input validation error: `max_new_tokens` must be <= 2048","error_type":"validation"})", t0 + 3ms);
    const auto verdict = reader.finish(t0 + 4ms);
    ASSERT_EQ(verdict, failure_kind::http_4xx);
    auto o = engine_observation(verdict, 4ms);
    reader.observe(o);
    EXPECT_EQ(o.cause, "validation: Input validation error: `max_new_tokens` must be <= 2048");
    EXPECT_EQ(o.e2e, 4ms);
  }
  {
    non_streaming_reader reader;
    reader.start(t0);
    reader.on_status(502);
    reader.on_body("<html>bad gateway</html>", t0 + 3ms);
    const auto verdict = reader.finish(t0 + 4ms);
    ASSERT_EQ(verdict, failure_kind::http_5xx);
    auto o = engine_observation(verdict, 4ms);
    reader.observe(o);
    EXPECT_THAT(o.cause, ::testing::StartsWith("HTTP 502")) << "no error JSON: the status at least";
  }
  {
    stream_reader reader;  // a generation error after tokens: the server's type and message
    reader.start(t0);
    reader.on_status(200);
    reader.on_body("data:{\"token\":{\"id\":1,\"text\":\" a\"},\"generated_text\":null,\"details\":null}\n\n"
                   "data:{\"error\":\"CUDA out of memory\",\"error_type\":\"generation\"}\n\n",
                   t0 + 5ms);
    const auto verdict = reader.finish(t0 + 6ms);
    ASSERT_EQ(verdict, failure_kind::stream_error);
    auto o = engine_observation(verdict, 6ms);
    reader.observe(o);
    EXPECT_EQ(o.cause, "generation: CUDA out of memory");
  }
}

TEST(ReaderObservation, ATransportFailureKeepsItsCauseAndTheRequestsAdapter) {
  // The connection was refused: finish() never ran, the engine's verdict and cause stand.
  stream_reader reader;
  http_request request;
  request.adapter = "org/x";
  reader.begin(request, std::nullopt);
  auto o = engine_observation(failure_kind::connect, 2ms, "connect: Connection refused");
  reader.observe(o);
  EXPECT_TRUE(o.llm) << "still an LLM request to its adapter: it counts for the adapter's first sight";
  EXPECT_EQ(o.adapter, "org/x");
  EXPECT_EQ(o.failure, failure_kind::connect);
  EXPECT_EQ(o.cause, "connect: Connection refused");
  EXPECT_EQ(o.e2e, 2ms) << "the engine's latency, as the reader never concluded";
  EXPECT_FALSE(o.ttft);

  // A reset after some tokens: the cause is the transport's; the failure is counted, not timed.
  stream_reader cut;
  cut.start(t0);
  cut.on_status(200);
  cut.on_body("data:{\"token\":{\"id\":1,\"text\":\" a\"},\"generated_text\":null,\"details\":null}\n\n", t0 + 7ms);
  auto reset = engine_observation(failure_kind::reset, 50ms, "read: Connection reset by peer");
  cut.observe(reset);
  EXPECT_EQ(reset.failure, failure_kind::reset);
  EXPECT_EQ(reset.cause, "read: Connection reset by peer");
  EXPECT_EQ(reset.e2e, 50ms);
  tally t;
  t.record(reset);
  EXPECT_EQ(t.failures(failure_kind::reset), 1u);
  EXPECT_TRUE(t.of(measure::ttft).empty()) << "a failure is counted, not timed";
  EXPECT_THAT(t.examples().at(failure_kind::reset), ::testing::ElementsAre("read: Connection reset by peer"));
}

}  // namespace
}  // namespace loadgate::llm
