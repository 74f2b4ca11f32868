#include "loadgate/llm/non_streaming_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "recorded_streams.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;

using test::t0;

struct read_result {
  std::optional<failure_kind> failure;
  llm_observation o;
};

read_result read(unsigned status, std::string_view body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  non_streaming_reader reader;
  reader.start(t0);
  reader.on_status(status);
  for (const auto& [name, value] : headers) reader.on_header(name, value);
  // In two pieces, as a socket would deliver it.
  reader.on_body(body.substr(0, body.size() / 2), t0 + 10ms);
  reader.on_body(body.substr(body.size() / 2), t0 + 20ms);
  read_result r;
  r.failure = reader.finish(t0 + 25ms);
  r.o = reader.observation();
  return r;
}

TEST(NonStreamingReader, LoraxGenerateWithDetails) {
  const auto r = read(200, R"({"generated_text":" hi","details":{"finish_reason":"length","prompt_tokens":5,"generated_tokens":64,"seed":null,"tokens":[]}})",
                      {{"x-total-time", "24.2"}, {"x-time-to-first-token", "3"}, {"x-generated-tokens", "64"}});
  EXPECT_FALSE(r.failure);
  EXPECT_FALSE(r.o.streamed);
  EXPECT_EQ(r.o.e2e, 25ms);
  EXPECT_FALSE(r.o.ttft);  // a whole body has no first token on the client side
  EXPECT_EQ(r.o.output_tokens, 64u);
  EXPECT_EQ(r.o.token_source, token_count_source::server);
  EXPECT_EQ(r.o.prompt_tokens, 5u);
  EXPECT_EQ(r.o.finish_reason, "length");
  EXPECT_EQ(r.o.server.total_ms, 24.2);
  EXPECT_EQ(r.o.server.time_to_first_token_ms, 3.5) << "LoRAX truncates to whole ms: the middle of [3, 4)";
}

TEST(NonStreamingReader, WithoutDetailsTheHeaderCountIsUsed) {
  const auto r = read(200, R"({"generated_text":" hi"})", {{"x-generated-tokens", "17"}, {"x-prompt-tokens", "4"}});
  EXPECT_FALSE(r.failure);
  EXPECT_EQ(r.o.output_tokens, 17u);
  EXPECT_EQ(r.o.token_source, token_count_source::server);
  EXPECT_EQ(r.o.prompt_tokens, 4u);
  const auto none = read(200, R"({"generated_text":" hi"})");
  EXPECT_FALSE(none.o.output_tokens);
  EXPECT_EQ(none.o.token_source, token_count_source::none);
}

TEST(NonStreamingReader, OpenAiCompletionAndChat) {
  const auto completion = read(200, R"({"id":"c","object":"text_completion","choices":[{"index":0,"text":" A B","finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})");
  EXPECT_FALSE(completion.failure);
  EXPECT_EQ(completion.o.output_tokens, 2u);
  EXPECT_EQ(completion.o.prompt_tokens, 3u);
  EXPECT_EQ(completion.o.finish_reason, "length");
  const auto chat = read(200, R"({"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})");
  EXPECT_EQ(chat.o.finish_reason, "stop");
  EXPECT_EQ(chat.o.output_tokens, 1u);
}

TEST(NonStreamingReader, ErrorStatusesAndTheirKinds) {
  const auto overloaded = read(429, R"({"error":"Model is overloaded","error_type":"overloaded"})");
  EXPECT_EQ(overloaded.failure, failure_kind::overloaded);
  EXPECT_EQ(overloaded.o.error_type, "overloaded");
  const auto validation = read(422, R"({"error":"too long","error_type":"validation"})");
  EXPECT_EQ(validation.failure, failure_kind::http_4xx);
  EXPECT_EQ(validation.o.error_type, "validation");
  const auto generation = read(424, R"({"error":"adapter download failed","error_type":"generation"})");
  EXPECT_EQ(generation.failure, failure_kind::http_4xx);
  EXPECT_EQ(generation.o.error_type, "generation");
  EXPECT_EQ(generation.o.error_message, "adapter download failed");
  const auto not_found = read(404, R"({"error":{"message":"The model `x` does not exist.","type":"NotFoundError","code":404}})");
  EXPECT_EQ(not_found.failure, failure_kind::http_4xx);
  EXPECT_EQ(not_found.o.error_type, "NotFoundError");
  // An "overloaded" body is overloaded whatever the status says (a 503 from a proxy, say).
  EXPECT_EQ(read(503, R"({"error":"Model is overloaded","error_type":"overloaded"})").failure, failure_kind::overloaded);
  EXPECT_EQ(read(500, "not json").failure, failure_kind::http_5xx);
}

TEST(NonStreamingReader, ErrorJsonInA200IsAFailure) {
  EXPECT_EQ(read(200, R"({"error":"Model is overloaded","error_type":"overloaded"})").failure, failure_kind::overloaded);
  EXPECT_EQ(read(200, R"({"error":"boom","error_type":"generation"})").failure, failure_kind::stream_error);
}

TEST(NonStreamingReader, A200BodyThatIsNotAJsonObjectIsAProtocolFailure) {
  EXPECT_EQ(read(200, "").failure, failure_kind::protocol);
  EXPECT_EQ(read(200, "<html>").failure, failure_kind::protocol);
  EXPECT_EQ(read(200, "[1]").failure, failure_kind::protocol);
}

TEST(NonStreamingReader, BodyLargerThanTheLimitIsAProtocolFailure) {
  non_streaming_reader reader{16};
  reader.start(t0);
  reader.on_status(200);
  reader.on_body(R"({"generated_text":"0123456789012345"})", t0 + 1ms);
  EXPECT_EQ(reader.finish(t0 + 2ms), failure_kind::protocol);
  EXPECT_EQ(reader.observation().error_message, "response body larger than the reader's limit");
}

TEST(NonStreamingReader, AnAnnouncedLengthPastTheLimitFailsBeforeTheFirstByte) {
  // Content-Length says 17 bytes against a limit of 16: the body that follows is not kept, even
  // the part that would fit, and the verdict is the same as for one found too large on arrival.
  non_streaming_reader reader{16};
  reader.start(t0);
  reader.on_status(200);
  reader.on_body_length(17);
  reader.on_body(R"({"a":1})", t0 + 1ms);
  EXPECT_EQ(reader.finish(t0 + 2ms), failure_kind::protocol);
  EXPECT_EQ(reader.observation().error_message, "response body larger than the reader's limit");
}

TEST(NonStreamingReader, AnAnnouncedLengthWithinTheLimitIsReadAsUsual) {
  const std::string body = R"({"generated_text":"hi","details":{"finish_reason":"length","generated_tokens":2}})";
  non_streaming_reader reader{body.size()};
  reader.start(t0);
  reader.on_status(200);
  reader.on_body_length(body.size());
  reader.on_body(body, t0 + 1ms);
  EXPECT_EQ(reader.finish(t0 + 2ms), std::nullopt);
  EXPECT_EQ(reader.observation().output_tokens, 2u);
}

}  // namespace
}  // namespace loadgate::llm
