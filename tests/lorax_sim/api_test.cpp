#include "api.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace lorax_sim {

namespace {
sim_config config() {
  sim_config c;
  c.limits.max_total_tokens = 100;
  c.limits.max_input_length = 99;
  return c;
}
}  // namespace

TEST(Api, ParsesALoraxRequest) {
  auto r = parse_request(route_kind::generate,
                         R"({"inputs":"a b c","parameters":{"adapter_id":"x","adapter_source":"s3","max_new_tokens":7,"details":true}})",
                         config());
  ASSERT_TRUE(std::holds_alternative<api_request>(r));
  const auto& req = std::get<api_request>(r);
  EXPECT_EQ(req.generation.adapter_id, "x");
  EXPECT_EQ(req.generation.adapter_source, "s3");
  EXPECT_EQ(req.generation.input_tokens, 3);
  EXPECT_EQ(req.generation.max_new_tokens, 7);
  EXPECT_TRUE(req.details);
  EXPECT_FALSE(req.stream);
}

TEST(Api, FillsMaxNewTokensUpToTheTotal) {
  auto r = parse_request(route_kind::generate, R"({"inputs":"a b c"})", config());
  EXPECT_EQ(std::get<api_request>(r).generation.max_new_tokens, 97);
}

TEST(Api, RejectsWhatLoraxRejects) {
  const char* bad[] = {
      R"({"inputs":""})", R"({"inputs":"a","parameters":{"max_new_tokens":0}})",
      R"({"inputs":"a b","parameters":{"max_new_tokens":99}})", R"({"inputs":"a","parameters":{"adapter_source":"ftp"}})",
      R"({"inputs":"a","parameters":{"temperature":0}})", R"({"inputs":"a","parameters":{"stop":["1","2","3","4","5"]}})"};
  for (const char* body : bad) {
    auto r = parse_request(route_kind::generate, body, config());
    ASSERT_TRUE(std::holds_alternative<api_error>(r)) << body;
    EXPECT_EQ(std::get<api_error>(r).status, 422) << body;
    EXPECT_EQ(std::get<api_error>(r).error_type, "validation") << body;
    EXPECT_FALSE(std::get<api_error>(r).rejected_by_extractor) << body;
  }
}

TEST(Api, BodiesThatAreNotTheRequestAreAxumsRejectionsNotLoraxs) {
  // LoRAX's handlers take Json<GenerateRequest>: axum rejects these before LoRAX validates anything.
  const std::pair<const char*, int> bad[] = {{"{", 400},          {"not json", 400},        {"[]", 422},
                                             {"{}", 422},         {R"({"inputs":5})", 422}, {R"({"inputs":"a","parameters":"x"})", 422}};
  for (const auto& [body, status] : bad) {
    auto r = parse_request(route_kind::generate, body, config());
    ASSERT_TRUE(std::holds_alternative<api_error>(r)) << body;
    const auto& e = std::get<api_error>(r);
    EXPECT_EQ(e.status, status) << body;
    EXPECT_TRUE(e.rejected_by_extractor) << body;
    EXPECT_TRUE(e.message.starts_with(status == 400 ? "Failed to parse the request body as JSON: "
                                                    : "Failed to deserialize the JSON body into the target type: "))
        << e.message;
  }
  EXPECT_EQ(content_type_rejection("application/json; charset=utf-8"), nullptr);
  EXPECT_EQ(content_type_rejection("application/vnd.api+json"), nullptr);
  EXPECT_STREQ(content_type_rejection("text/plain"), "Expected request with `Content-Type: application/json`");
  EXPECT_NE(content_type_rejection(""), nullptr);
}

TEST(Api, ShapeErrorsComeBeforeTheStreamLimitErrorsInIt) {
  auto shape = parse_request(route_kind::generate_stream, "{nope", config());
  EXPECT_TRUE(std::get<api_error>(shape).before_stream);
  auto limit = parse_request(route_kind::generate_stream, R"({"inputs":"a","parameters":{"max_new_tokens":500}})", config());
  EXPECT_FALSE(std::get<api_error>(limit).before_stream);
}

TEST(Api, OpenAiModelSelectsTheAdapter) {
  const auto c = config();
  auto base = parse_request(route_kind::completions, R"({"model":")" + c.model_id + R"(","prompt":"hi"})", c);
  EXPECT_EQ(std::get<api_request>(base).generation.adapter_id, "");
  EXPECT_EQ(std::get<api_request>(base).generation.max_new_tokens, 16);
  auto chat = parse_request(route_kind::chat_completions,
                            R"({"model":"ad","messages":[{"role":"user","content":"one two"}],"max_tokens":3,"stream":true})", c);
  const auto& req = std::get<api_request>(chat);
  EXPECT_EQ(req.generation.adapter_id, "ad");
  EXPECT_EQ(req.generation.input_tokens, 2);
  EXPECT_TRUE(req.stream);
}

TEST(Api, StreamEventsAreFramedLikeLorax) {
  auto r = std::get<api_request>(parse_request(route_kind::generate_stream, R"({"inputs":"a","parameters":{"max_new_tokens":2}})", config()));
  const auto event = token_event(r, token_at(1, 0));
  EXPECT_EQ(event.rfind("data:{", 0), 0u);
  EXPECT_EQ(event.substr(event.size() - 2), "\n\n");
  auto json = nlohmann::json::parse(event.substr(5));
  EXPECT_TRUE(json["generated_text"].is_null());
  EXPECT_EQ(json["token"]["special"], false);
}

}  // namespace lorax_sim
