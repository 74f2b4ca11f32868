#include "loadgate/llm/stream_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "recorded_streams.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

using test::t0;

// The events of a stream, one chunk each (blank line included), in order.
std::vector<std::string> events_of(std::string_view stream) {
  std::vector<std::string> events;
  while (!stream.empty()) {
    const auto end = stream.find("\n\n") + 2;
    events.emplace_back(stream.substr(0, end));
    stream.remove_prefix(end);
  }
  return events;
}

// Plays `chunks` arriving at the given offsets from t0, then finishes at `done`.
struct played {
  std::optional<failure_kind> failure;
  llm_observation o;
};

played play(const std::vector<std::string>& chunks, const std::vector<milliseconds>& offsets, milliseconds done,
            unsigned status = 200, std::vector<std::pair<std::string, std::string>> headers = {}) {
  stream_reader reader;
  reader.start(t0);
  reader.on_status(status);
  for (const auto& [name, value] : headers) reader.on_header(name, value);
  for (std::size_t i = 0; i < chunks.size(); ++i) reader.on_body(chunks[i], t0 + offsets.at(i));
  played p;
  p.failure = reader.finish(t0 + done);
  p.o = reader.observation();
  return p;
}

TEST(StreamReader, LoraxStreamTimings) {
  const auto events = events_of(test::lorax_stream);  // token, comment, token, final token
  ASSERT_EQ(events.size(), 4u);
  const auto p = play(events, {100ms, 120ms, 150ms, 175ms}, 180ms);
  EXPECT_FALSE(p.failure);
  EXPECT_TRUE(p.o.streamed);
  EXPECT_EQ(p.o.ttft, 100ms);
  EXPECT_EQ(p.o.inter_token_gaps, (std::vector<std::chrono::nanoseconds>{50ms, 25ms}));
  EXPECT_EQ(p.o.e2e, 175ms);  // the last content event, not the end of the response
  EXPECT_EQ(p.o.content_events, 3u);
  EXPECT_EQ(p.o.output_tokens, 3u);
  EXPECT_EQ(p.o.token_source, token_count_source::server);
  EXPECT_EQ(p.o.prompt_tokens, 5u);
  EXPECT_EQ(p.o.finish_reason, "eos_token");
  EXPECT_EQ(p.o.tpot, 37500us);  // (175 − 100) / (3 − 1)
}

TEST(StreamReader, TpotUsesTheServersTokenCountNotTheEventCount) {
  // One chunk is not one token (vllm#27485): 3 events but the server says 11 tokens.
  std::string stream{test::lorax_stream};
  stream.replace(stream.find("\"generated_tokens\":3"), 20, "\"generated_tokens\":11");
  const auto p = play(events_of(stream), {100ms, 120ms, 150ms, 175ms}, 180ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.output_tokens, 11u);
  EXPECT_EQ(p.o.content_events, 3u);
  EXPECT_EQ(p.o.tpot, 7500us);  // (175 − 100) / (11 − 1)
}

TEST(StreamReader, WholeStreamInOneReadHasOneTimestamp) {
  const auto p = play({std::string{test::lorax_stream}}, {40ms}, 41ms);
  EXPECT_EQ(p.o.ttft, 40ms);
  EXPECT_EQ(p.o.e2e, 40ms);
  EXPECT_EQ(p.o.inter_token_gaps, (std::vector<std::chrono::nanoseconds>{0ms, 0ms}));
}

TEST(StreamReader, VllmChatSkipsRoleAndUsageChunks) {
  const auto events = events_of(test::vllm_chat_stream);  // role, Hello, world, finish, usage, DONE
  ASSERT_EQ(events.size(), 6u);
  const auto p = play(events, {100ms, 120ms, 150ms, 160ms, 165ms, 170ms}, 171ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.ttft, 120ms);  // not the role-only chunk at 100 ms
  EXPECT_EQ(p.o.inter_token_gaps, (std::vector<std::chrono::nanoseconds>{30ms}));
  EXPECT_EQ(p.o.e2e, 150ms);
  EXPECT_EQ(p.o.output_tokens, 2u);
  EXPECT_EQ(p.o.token_source, token_count_source::server);
  EXPECT_EQ(p.o.prompt_tokens, 7u);
  EXPECT_EQ(p.o.finish_reason, "length");
  EXPECT_EQ(p.o.tpot, 30ms);
}

TEST(StreamReader, WithoutUsageTokensAreCounted) {
  auto events = events_of(test::vllm_chat_stream);
  events.erase(events.begin() + 4);  // no usage chunk: include_usage was off
  const auto p = play(events, {100ms, 120ms, 150ms, 160ms, 170ms}, 171ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.output_tokens, 2u);
  EXPECT_EQ(p.o.token_source, token_count_source::counted);
}

TEST(StreamReader, LoraxCompletionsUsageZerosUntilTheLast) {
  const auto events = events_of(test::lorax_completions_stream);
  const auto p = play(events, {10ms, 20ms, 30ms, 31ms}, 32ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.output_tokens, 3u);
  EXPECT_EQ(p.o.token_source, token_count_source::server);
  EXPECT_EQ(p.o.prompt_tokens, 4u);
  EXPECT_EQ(p.o.tpot, 10ms);
}

TEST(StreamReader, OpenAiStreamWithoutDoneIsIncomplete) {
  auto events = events_of(test::vllm_chat_stream);
  events.pop_back();  // no [DONE]
  const auto p = play(events, {100ms, 120ms, 150ms, 160ms, 165ms}, 200ms);
  EXPECT_EQ(p.failure, failure_kind::incomplete);
  EXPECT_EQ(p.o.failure, failure_kind::incomplete);
  EXPECT_EQ(p.o.ttft, 120ms);  // what was measured is kept, for debugging
}

TEST(StreamReader, LoraxStreamCutMidEventIsIncomplete) {
  const std::string stream{test::lorax_stream};
  const auto cut = stream.substr(0, stream.size() - 30);
  EXPECT_EQ(play({cut}, {10ms}, 20ms).failure, failure_kind::incomplete);
  EXPECT_EQ(play({}, {}, 20ms).failure, failure_kind::incomplete);  // 200 and nothing else
}

TEST(StreamReader, CrLfStreamsReadTheSame) {
  const auto crlf = test::with_line_ends(test::vllm_chat_stream, "\r\n");
  const auto p = play({crlf}, {50ms}, 60ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.output_tokens, 2u);
}

TEST(StreamReader, OverloadedEventInA200Stream) {
  const auto p = play({std::string{test::lorax_overloaded_stream}}, {5ms}, 6ms);
  EXPECT_EQ(p.failure, failure_kind::overloaded);
  EXPECT_EQ(p.o.error_type, "overloaded");
  EXPECT_EQ(p.o.error_message, "Model is overloaded");
}

TEST(StreamReader, GenerationErrorAfterTokensIsAStreamError) {
  auto events = events_of(test::lorax_stream);
  events.insert(events.begin() + 1, "data:{\"error\":\"CUDA out of memory\",\"error_type\":\"generation\"}\n\n");
  const auto p = play(events, {10ms, 20ms, 30ms, 40ms, 50ms}, 60ms);
  EXPECT_EQ(p.failure, failure_kind::stream_error);
  EXPECT_EQ(p.o.error_type, "generation");
  EXPECT_EQ(p.o.content_events, 1u);  // nothing after the error counts
}

TEST(StreamReader, MalformedEventIsAProtocolFailure) {
  EXPECT_EQ(play({"data:{not json\n\n"}, {5ms}, 6ms).failure, failure_kind::protocol);
}

TEST(StreamReader, OversizedEventIsAProtocolFailure) {
  stream_reader reader{32};
  reader.start(t0);
  reader.on_status(200);
  reader.on_body("data:" + std::string(100, 'x'), t0 + 1ms);
  EXPECT_EQ(reader.finish(t0 + 2ms), failure_kind::protocol);
}

TEST(StreamReader, NonSuccessStatusReadsTheErrorBody) {
  const auto overloaded = play({R"({"error":"Model is overloaded","error_type":"overloaded"})"}, {3ms}, 4ms, 429);
  EXPECT_EQ(overloaded.failure, failure_kind::overloaded);
  const auto validation = play({R"({"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048","error_type":"validation"})"},
                               {3ms}, 4ms, 422);
  EXPECT_EQ(validation.failure, failure_kind::http_4xx);
  EXPECT_EQ(validation.o.error_type, "validation");
  EXPECT_EQ(validation.o.e2e, 4ms);
  const auto incomplete = play({R"({"error":"Incomplete generation","error_type":"incomplete_generation"})"}, {3ms}, 4ms, 500);
  EXPECT_EQ(incomplete.failure, failure_kind::http_5xx);
  EXPECT_EQ(play({"<html>bad gateway</html>"}, {3ms}, 4ms, 502).failure, failure_kind::http_5xx);
}

TEST(StreamReader, ServerHeadersAreCapturedAndTheHeaderAdapterIsUsed) {
  const auto p = play(events_of(test::lorax_stream), {10ms, 11ms, 12ms, 13ms}, 14ms, 200,
                      {{"X-Queue-Time", "12.5"}, {"x-adapter-id", "org/a"}, {"x-adapter-load-time", "800"}});
  EXPECT_EQ(p.o.server.queue_ms, 12.5);
  EXPECT_EQ(p.o.adapter, "org/a");
  EXPECT_TRUE(p.o.server.signals_cold_load());
}

TEST(StreamReader, TheRequestedAdapterWinsOverTheHeader) {
  stream_reader reader;
  reader.start(t0);
  reader.adapter("");  // the base model was asked for
  reader.on_status(200);
  reader.on_header("x-adapter-id", "org/other");
  reader.on_body(std::string{test::lorax_stream}, t0 + 1ms);
  reader.finish(t0 + 2ms);
  EXPECT_EQ(reader.observation().adapter, "");
}

TEST(StreamReader, SingleTokenHasNoTpot) {
  const auto p = play({"data:{\"token\":{\"id\":1,\"text\":\"a\"},\"generated_text\":\"a\",\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":1}}\n\n"},
                      {30ms}, 31ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.ttft, 30ms);
  EXPECT_FALSE(p.o.tpot);
  EXPECT_TRUE(p.o.inter_token_gaps.empty());
}

TEST(StreamReader, EventsAfterTheFinalOneAreIgnored) {
  std::string stream{test::lorax_stream};
  stream += "data:{\"token\":{\"id\":9,\"text\":\"x\"},\"generated_text\":null,\"details\":null}\n\n";
  const auto p = play({stream}, {10ms}, 11ms);
  EXPECT_FALSE(p.failure);
  EXPECT_EQ(p.o.content_events, 3u);
}

}  // namespace
}  // namespace loadgate::llm

namespace loadgate::llm {
namespace {

// lorax-sim's final event carries the server's timings (streams have no timing headers).
TEST(StreamReader, TakesTheServerTimingsOfTheFinalEvent) {
  stream_reader reader;
  const auto start = clock::now();
  reader.start(start);
  reader.on_status(200);
  reader.on_header("x-adapter-id", "org/a");
  reader.on_body("data:{\"token\":{\"id\":1,\"text\":\" a\"},\"generated_text\":null,\"details\":null}\n\n",
                 start + std::chrono::milliseconds{10});
  reader.on_body("data:{\"token\":{\"id\":2,\"text\":\" b\"},\"generated_text\":\" a b\",\"details\":null,"
                 "\"timings\":{\"time_to_first_token_ms\":9.5,\"time_per_output_token_ms\":4.25,\"total_ms\":15.0,"
                 "\"adapter_load_ms\":3.5,\"queue_ms\":\"bad\"}}\n\n",
                 start + std::chrono::milliseconds{15});
  EXPECT_FALSE(reader.finish(start + std::chrono::milliseconds{16}));
  const auto& s = reader.observation().server;
  EXPECT_EQ(s.time_to_first_token_ms, 9.5);
  EXPECT_EQ(s.time_per_output_token_ms, 4.25);
  EXPECT_EQ(s.total_ms, 15.0);
  EXPECT_FALSE(s.queue_ms) << "not a number: ignored";
  EXPECT_TRUE(s.signals_cold_load());
  EXPECT_EQ(s.adapter_id, "org/a") << "headers the event does not mention stay";
}

}  // namespace
}  // namespace loadgate::llm
