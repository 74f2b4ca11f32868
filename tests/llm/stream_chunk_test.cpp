#include "loadgate/llm/stream_chunk.hpp"

#include <gtest/gtest.h>

namespace loadgate::llm {
namespace {

TEST(StreamChunk, LoraxTokenEventIsContentNotFinal) {
  const auto c = classify_chunk(R"({"token":{"id":415,"text":" The","logprob":-0.31,"special":false},"generated_text":null,"details":null})");
  EXPECT_TRUE(c.content);
  EXPECT_FALSE(c.final);
  EXPECT_FALSE(c.failure);
  EXPECT_FALSE(c.generated_tokens);
}

TEST(StreamChunk, LoraxFinalEventCarriesATokenAndDetails) {
  const auto c = classify_chunk(
      R"({"token":{"id":2,"text":"</s>","special":true},"generated_text":"x","details":{"finish_reason":"length","generated_tokens":64,"prompt_tokens":9}})");
  EXPECT_TRUE(c.content);
  EXPECT_TRUE(c.final);
  EXPECT_EQ(c.finish_reason, "length");
  EXPECT_EQ(c.generated_tokens, 64u);
  EXPECT_EQ(c.prompt_tokens, 9u);
}

TEST(StreamChunk, LoraxFinalEventWithoutDetailsIsFinal) {
  const auto c = classify_chunk(R"({"token":{"id":2,"text":"!"},"generated_text":"hi!","details":null})");
  EXPECT_TRUE(c.final);
  EXPECT_FALSE(c.generated_tokens);
}

TEST(StreamChunk, LoraxErrorEvents) {
  const auto overloaded = classify_chunk(R"({"error":"Model is overloaded","error_type":"overloaded"})");
  EXPECT_EQ(overloaded.failure, failure_kind::overloaded);
  EXPECT_EQ(overloaded.error_type, "overloaded");
  EXPECT_EQ(overloaded.error_message, "Model is overloaded");
  EXPECT_FALSE(overloaded.content);
  for (const char* type : {"validation", "generation"}) {
    const auto c = classify_chunk(std::string{R"({"error":"boom","error_type":")"} + type + "\"}");
    EXPECT_EQ(c.failure, failure_kind::stream_error) << type;
    EXPECT_EQ(c.error_type, type);
  }
  // LoRAX's router emits it when its model server's stream ended before the final message: the
  // stream is cut, as one that stops without a word is.
  const auto cut = classify_chunk(R"({"error":"Incomplete generation","error_type":"incomplete_generation"})");
  EXPECT_EQ(cut.failure, failure_kind::incomplete);
  EXPECT_EQ(cut.error_type, "incomplete_generation");
}

TEST(StreamChunk, VllmErrorShapes) {
  const auto nested = classify_chunk(R"({"error":{"message":"model x not found","type":"NotFoundError","code":404}})");
  EXPECT_EQ(nested.failure, failure_kind::stream_error);
  EXPECT_EQ(nested.error_type, "NotFoundError");
  EXPECT_EQ(nested.error_message, "model x not found");
  const auto old = classify_chunk(R"({"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400})");
  EXPECT_EQ(old.failure, failure_kind::stream_error);
  EXPECT_EQ(old.error_type, "BadRequestError");
  const auto busy = classify_chunk(R"({"error":{"message":"busy","type":"TooManyRequests","code":429}})");
  EXPECT_EQ(busy.failure, failure_kind::overloaded);
}

TEST(StreamChunk, OpenAiCompletionText) {
  const auto c = classify_chunk(R"({"object":"text_completion","choices":[{"index":0,"text":" A","finish_reason":null}]})");
  EXPECT_TRUE(c.content);
  EXPECT_FALSE(c.final);
  EXPECT_FALSE(c.finish_reason);
}

TEST(StreamChunk, OpenAiChatContentAndRoleOnlyChunk) {
  EXPECT_TRUE(classify_chunk(R"({"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})").content);
  const auto role = classify_chunk(R"({"choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]})");
  EXPECT_FALSE(role.content);
  const auto role_empty = classify_chunk(R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})");
  EXPECT_FALSE(role_empty.content);
}

TEST(StreamChunk, FinishingChunkWithoutTextIsNoToken) {
  const auto c = classify_chunk(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})");
  EXPECT_FALSE(c.content);
  EXPECT_FALSE(c.final);  // OpenAI streams end with [DONE], not with a finish reason
  EXPECT_EQ(c.finish_reason, "stop");
}

TEST(StreamChunk, UsageOnlyChunkIsNoTokenButCounts) {
  const auto c = classify_chunk(R"({"choices":[],"usage":{"prompt_tokens":7,"total_tokens":9,"completion_tokens":2}})");
  EXPECT_FALSE(c.content);
  EXPECT_EQ(c.generated_tokens, 2u);
  EXPECT_EQ(c.prompt_tokens, 7u);
}

TEST(StreamChunk, LoraxUsageOnEveryChunkIsReported) {
  const auto c = classify_chunk(R"({"choices":[{"text":" A","finish_reason":null}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}})");
  EXPECT_TRUE(c.content);
  EXPECT_EQ(c.generated_tokens, 0u);  // the reader keeps the last report
}

TEST(StreamChunk, DoneIsFinal) {
  const auto c = classify_chunk("[DONE]");
  EXPECT_TRUE(c.final);
  EXPECT_FALSE(c.content);
}

TEST(StreamChunk, MalformedPayloadIsAProtocolFailure) {
  EXPECT_EQ(classify_chunk("{\"token\":").failure, failure_kind::protocol);
  EXPECT_EQ(classify_chunk("[1,2]").failure, failure_kind::protocol);
  EXPECT_EQ(classify_chunk("").failure, failure_kind::protocol);
}

}  // namespace
}  // namespace loadgate::llm
