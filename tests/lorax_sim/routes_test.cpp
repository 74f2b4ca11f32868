// Every route of the simulator and the JSON shape of its answers, over plain HTTP.
#include "sim_process.hpp"
#include "test_client.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace sim_test {
namespace {

using nlohmann::json;

const std::string adapter = "loadgate/support-lora-v1";

class Routes : public ::testing::Test {
 protected:
  // Fast steps and loads: these tests are about shapes, not times.
  static void SetUpTestSuite() {
    sim_ = new sim_process({"--time-scale", "0.01", "--max-total-tokens", "64"});
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  static std::uint16_t port() { return sim_->port(); }
  static inline sim_process* sim_ = nullptr;
};

std::string generate_body(int max_new_tokens, const std::string& adapter_id = "", bool details = false) {
  json p = {{"max_new_tokens", max_new_tokens}, {"details", details}};
  if (!adapter_id.empty()) p["adapter_id"] = adapter_id;
  return json{{"inputs", "one two three four five"}, {"parameters", p}}.dump();
}

TEST_F(Routes, HealthIsAnEmpty200) {
  auto r = get(port(), "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(Routes, LoraxsOtherHealthAndStartupProbesAnswer) {
  // LoRAX's router: GET / (POST / generates), /ping and /startup besides /health.
  for (const auto* path : {"/", "/ping", "/startup", "/health"}) {
    auto r = get(port(), path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_TRUE(r.body.empty()) << path;
  }
  EXPECT_EQ(post(port(), "/", generate_body(2)).status, 200) << "POST / still generates";
  EXPECT_EQ(post(port(), "/ping", "").status, 405);
}

TEST_F(Routes, TokenizeSplitsAsThePromptIsCounted) {
  auto r = post(port(), "/tokenize", R"({"inputs":"one two  one\nthreé four","add_special_tokens":true})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto tokens = json::parse(r.body);
  ASSERT_EQ(tokens.size(), 5u) << r.body;
  EXPECT_EQ(tokens[0]["text"], "one");
  EXPECT_EQ(tokens[0]["start"], 0);
  EXPECT_EQ(tokens[0]["stop"], 3);
  EXPECT_EQ(tokens[2]["start"], 9);
  EXPECT_EQ(tokens[3]["text"], "threé");
  EXPECT_EQ(tokens[3]["stop"], 18) << "offsets count characters, not bytes";
  EXPECT_EQ(tokens[4]["start"], 19);
  EXPECT_EQ(tokens[0]["id"], tokens[2]["id"]) << "the same word, the same id";
  EXPECT_NE(tokens[0]["id"], tokens[1]["id"]);
  // As many tokens as a generation reports for the same prompt.
  auto g = post(port(), "/generate", json{{"inputs", "one two  one\nthreé four"}, {"parameters", {{"max_new_tokens", 1}}}}.dump());
  EXPECT_EQ(g.header("x-prompt-tokens"), "5");
  auto bad = post(port(), "/tokenize", R"({"text":"a"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.header("content-type"), "text/plain; charset=utf-8");
}

TEST_F(Routes, InfoHasTheLimits) {
  auto r = get(port(), "/info");
  ASSERT_EQ(r.status, 200);
  auto info = json::parse(r.body);
  EXPECT_EQ(info["model_id"], "lorax-sim/base-7b");
  EXPECT_EQ(info["max_concurrent_requests"], 128);
  EXPECT_EQ(info["max_total_tokens"], 64);
  EXPECT_EQ(info["max_input_length"], 63);
  EXPECT_TRUE(info["simulator"].is_object());
  // Issue 14 finding 8: exactly LoRAX's Info fields (router/src/lib.rs), and nothing else
  // outside "simulator".
  std::vector<std::string> names;
  for (const auto& [name, value] : info.items())
    if (name != "simulator") names.push_back(name);
  std::vector<std::string> lorax = {"model_id", "model_sha", "model_dtype", "model_device_type", "model_pipeline_tag",
                                    "max_concurrent_requests", "max_best_of", "max_stop_sequences", "max_input_length",
                                    "max_total_tokens", "waiting_served_ratio", "max_batch_total_tokens",
                                    "max_waiting_tokens", "validation_workers", "eager_prefill", "version", "sha",
                                    "docker_label", "request_logger_url"};
  std::sort(names.begin(), names.end());
  std::sort(lorax.begin(), lorax.end());
  EXPECT_EQ(names, lorax);
  EXPECT_TRUE(info["max_batch_total_tokens"].is_number_unsigned());
  EXPECT_TRUE(info["eager_prefill"].is_boolean());
}

TEST_F(Routes, GenerateReturnsTextDetailsAndTimingHeaders) {
  auto r = post(port(), "/generate", generate_body(6, "", true));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  const auto text = body["generated_text"].get<std::string>();
  EXPECT_EQ(body["details"]["finish_reason"], "length");
  EXPECT_EQ(body["details"]["generated_tokens"], 6);
  EXPECT_EQ(body["details"]["prompt_tokens"], 5);
  ASSERT_EQ(body["details"]["tokens"].size(), 6u);
  std::string joined;
  for (const auto& t : body["details"]["tokens"]) joined += t["text"].get<std::string>();
  EXPECT_EQ(joined, text);
  for (const auto* h : {"x-queue-time", "x-time-to-first-token", "x-inference-time", "x-total-time",
                        "x-time-per-token", "x-validation-time"})
    EXPECT_GE(r.header_number(h), 0) << h;
  EXPECT_EQ(r.header("x-prompt-tokens"), "5");
  EXPECT_EQ(r.header("x-generated-tokens"), "6");
  EXPECT_EQ(r.header("x-adapter-id"), "");  // base model
  EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST_F(Routes, GenerateWithoutDetailsHasOnlyTheText) {
  auto r = post(port(), "/generate", generate_body(3));
  ASSERT_EQ(r.status, 200);
  auto body = json::parse(r.body);
  EXPECT_FALSE(body.contains("details"));
  EXPECT_EQ(body.size(), 1u);
}

TEST_F(Routes, TextIsDeterministic) {
  auto a = post(port(), "/generate", generate_body(8, adapter));
  auto b = post(port(), "/generate", generate_body(8, adapter));
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.header("x-adapter-id"), adapter);
  EXPECT_EQ(a.header("x-adapter-source"), "hub");
}

TEST_F(Routes, GenerateStreamIsOneEventPerTokenThenTheFullText) {
  auto r = post(port(), "/generate_stream", generate_body(5, adapter, true));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  EXPECT_EQ(r.body.rfind("data:{", 0), 0u) << "LoRAX writes no space after data:";
  ASSERT_EQ(r.events.size(), 5u);
  std::string joined;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    auto e = json::parse(r.events[i].data);
    ASSERT_TRUE(e["token"].is_object());
    EXPECT_TRUE(e["token"]["id"].is_number());
    joined += e["token"]["text"].get<std::string>();
    if (i + 1 < r.events.size()) {
      EXPECT_TRUE(e["generated_text"].is_null());
      EXPECT_TRUE(e["details"].is_null());
    } else {
      EXPECT_EQ(e["generated_text"], joined);
      EXPECT_EQ(e["details"]["generated_tokens"], 5);
      EXPECT_EQ(e["details"]["prompt_tokens"], 5);
      EXPECT_EQ(e["details"]["finish_reason"], "length");
    }
  }
  EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(r.body.find("event:"), std::string::npos);
}

TEST_F(Routes, CompletionsNonStreaming) {
  auto r = post(port(), "/v1/completions",
                json{{"model", adapter}, {"prompt", "a b c"}, {"max_tokens", 4}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body["object"], "text_completion");
  // LoRAX's From<GenerateResponse> for CompletionResponse leaves its placeholders in.
  EXPECT_EQ(body["id"], "null");
  EXPECT_EQ(body["model"], "null");
  EXPECT_EQ(body["created"], 0);
  EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
  EXPECT_FALSE(body["choices"][0]["text"].get<std::string>().empty());
  EXPECT_EQ(body["usage"], (json{{"prompt_tokens", 3}, {"completion_tokens", 4}, {"total_tokens", 7}}));
  EXPECT_EQ(r.header("x-model-id"), "lorax-sim/base-7b");
  EXPECT_EQ(r.header("x-adapter-id"), adapter);
}

TEST_F(Routes, CompletionsStreamEndsWithDoneAndCarriesUsage) {
  auto r = post(port(), "/v1/completions",
                json{{"model", ""}, {"prompt", "a b c"}, {"max_tokens", 4}, {"stream", true}}.dump());
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.events.size(), 5u);
  EXPECT_EQ(r.events.back().data, "[DONE]");
  for (int i = 0; i < 4; ++i) {
    auto e = json::parse(r.events[i].data);
    EXPECT_EQ(e["object"], "text_completion");
    EXPECT_TRUE(e["choices"][0]["text"].is_string());
    EXPECT_EQ(e["usage"]["completion_tokens"], i == 3 ? 4 : 0);
    EXPECT_EQ(e["choices"][0]["finish_reason"].is_null(), i != 3);
  }
}

TEST_F(Routes, ChatNonStreamingAndStreaming) {
  const json messages = json::array({{{"role", "user"}, {"content", "hello there"}}});
  auto r = post(port(), "/v1/chat/completions",
                json{{"model", "lorax-sim/base-7b"}, {"messages", messages}, {"max_tokens", 3}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body);
  // ChatCompletionResponse::new: the object stays "text_completion"; the model is the base model's.
  EXPECT_EQ(body["object"], "text_completion");
  EXPECT_EQ(body["model"], "lorax-sim/base-7b");
  EXPECT_EQ(body["system_fingerprint"], "lorax-sim 0.1.0-native");
  EXPECT_FALSE(body["choices"][0].contains("logprobs"));
  EXPECT_EQ(body["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(body["usage"]["prompt_tokens"], 2);
  EXPECT_EQ(r.header("x-adapter-id"), "");  // the base model id means no adapter

  auto s = post(port(), "/v1/chat/completions",
                json{{"model", adapter}, {"messages", messages}, {"max_tokens", 3}, {"stream", true},
                     {"stream_options", {{"include_usage", true}}}}.dump());
  ASSERT_EQ(s.status, 200);
  // LoRAX has no stream_options: 3 tokens, the last with usage, and [DONE]; no usage-only chunk.
  ASSERT_EQ(s.events.size(), 4u);
  auto first = json::parse(s.events[0].data);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  auto last = json::parse(s.events[2].data);
  EXPECT_EQ(last["usage"]["completion_tokens"], 3);
  EXPECT_EQ(s.events[3].data, "[DONE]");
}

// Finding 8 of issue 14: LoRAX's OpenAI stream chunks (router/src/lib.rs, From<StreamResponse>),
// byte for byte where a client notices: "data:" with no space, [DONE] included; chat deltas name
// the role every time and usage comes on the last chunk only; completion chunks carry usage on
// every chunk, zeros until the last; the chunk envelope holds LoRAX's placeholders.
TEST_F(Routes, OpenAiStreamChunksHaveLoraxsShapes) {
  const json messages = json::array({{{"role", "user"}, {"content", "hello there"}}});
  auto chat = post(port(), "/v1/chat/completions",
                   json{{"model", ""}, {"messages", messages}, {"max_tokens", 3}, {"stream", true}}.dump());
  ASSERT_EQ(chat.status, 200);
  EXPECT_EQ(chat.body.find("data: "), std::string::npos) << chat.body;
  EXPECT_NE(chat.body.find("data:[DONE]\n\n"), std::string::npos) << chat.body;
  ASSERT_EQ(chat.events.size(), 4u);  // 3 tokens, [DONE]
  for (int i = 0; i < 3; ++i) {
    const auto e = json::parse(chat.events[i].data);
    EXPECT_EQ(e["id"], "null");
    EXPECT_EQ(e["created"], 0);
    EXPECT_EQ(e["model"], "null");
    EXPECT_EQ(e["choices"][0]["delta"]["role"], "assistant") << "chunk " << i;
    EXPECT_FALSE(e["choices"][0].contains("logprobs"));
    EXPECT_EQ(e.contains("usage"), i == 2) << "chunk " << i;
  }
  EXPECT_EQ(json::parse(chat.events[2].data)["usage"]["completion_tokens"], 3);

  auto completion = post(port(), "/v1/completions", json{{"model", ""}, {"prompt", "a b"}, {"max_tokens", 2}, {"stream", true}}.dump());
  ASSERT_EQ(completion.status, 200);
  EXPECT_EQ(completion.body.find("data: "), std::string::npos) << completion.body;
  ASSERT_EQ(completion.events.size(), 3u);
  EXPECT_EQ(json::parse(completion.events[0].data)["usage"]["completion_tokens"], 0);
  EXPECT_TRUE(json::parse(completion.events[0].data)["choices"][0]["logprobs"].is_null());
}

TEST_F(Routes, ValidationErrorsAre422) {
  const std::string cases[] = {R"({"inputs":"a b","parameters":{"max_new_tokens":63}})",
                               R"({"inputs":"a","parameters":{"max_new_tokens":0}})"};
  for (const auto& body : cases) {
    auto r = post(port(), "/generate", body);
    EXPECT_EQ(r.status, 422) << body;
    auto e = json::parse(r.body);
    EXPECT_EQ(e["error_type"], "validation") << body;
    EXPECT_TRUE(e["error"].is_string());
  }
  // Malformed JSON on the stream route is a status; a limit error is an event in a 200 stream.
  EXPECT_EQ(post(port(), "/generate_stream", "{").status, 400);
  auto s = post(port(), "/generate_stream", R"({"inputs":"a b","parameters":{"max_new_tokens":63}})");
  ASSERT_EQ(s.status, 200);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(json::parse(s.events[0].data)["error_type"], "validation");
  // The compat route answers as the route its `stream` picks: a stream's error is an event too.
  for (const auto* body : {R"({"inputs":"a b","parameters":{"max_new_tokens":63},"stream":true})",
                           R"({"inputs":"a","parameters":{"temperature":0},"stream":true})"}) {
    auto compat = post(port(), "/", body);
    ASSERT_EQ(compat.status, 200) << body;
    ASSERT_EQ(compat.events.size(), 1u) << body;
    EXPECT_EQ(json::parse(compat.events[0].data)["error_type"], "validation") << body;
  }
  EXPECT_EQ(post(port(), "/", R"({"inputs":"a b","parameters":{"max_new_tokens":63}})").status, 422);
}

TEST_F(Routes, UnknownAndBrokenAdaptersAre424) {
  for (const auto* id : {"nobody/unknown-lora", "loadgate/broken-lora"}) {
    auto r = post(port(), "/generate", generate_body(3, id));
    EXPECT_EQ(r.status, 424) << id;
    EXPECT_EQ(json::parse(r.body)["error_type"], "generation");
    auto s = post(port(), "/generate_stream", generate_body(3, id));
    EXPECT_EQ(s.status, 200);
    ASSERT_EQ(s.events.size(), 1u);
    EXPECT_EQ(json::parse(s.events[0].data)["error_type"], "generation");
  }
  auto v1 = post(port(), "/v1/completions", json{{"model", "nobody/unknown"}, {"prompt", "x"}}.dump());
  EXPECT_EQ(v1.status, 424);
}

// What LoRAX's own Python client (clients/python/lorax) sends and requires: POST / (or
// /invocations) with `stream` in the body, a one-element array back for a whole response, and the
// fields its models declare required: `skipped` on every token, `skipped_tokens` in details.
TEST_F(Routes, TheCompatRoutesServeLoraxsOwnClient) {
  for (const auto* path : {"/", "/invocations"}) {
    SCOPED_TRACE(path);
    auto whole = json::parse(generate_body(4, adapter, true));
    whole["stream"] = false;
    const auto r = post(port(), path, whole.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = json::parse(r.body);
    ASSERT_TRUE(body.is_array());
    ASSERT_EQ(body.size(), 1u);
    EXPECT_EQ(body[0]["details"]["skipped_tokens"], 0);
    ASSERT_EQ(body[0]["details"]["tokens"].size(), 4u);
    for (const auto& t : body[0]["details"]["tokens"]) EXPECT_EQ(t["skipped"], false);

    auto streamed = whole;
    streamed["stream"] = true;
    const auto s = post(port(), path, streamed.dump());
    ASSERT_EQ(s.status, 200);
    EXPECT_EQ(s.header("content-type"), "text/event-stream");
    ASSERT_EQ(s.events.size(), 4u);
    for (const auto& e : s.events) EXPECT_EQ(json::parse(e.data)["token"]["skipped"], false);
    EXPECT_EQ(json::parse(s.events.back().data)["details"]["skipped_tokens"], 0);
  }
}

// Issue 14 finding 6: a body that is not the request is refused by axum's Json extractor, before
// LoRAX's handler: 400 (not JSON), 415 (not a JSON Content-Type) or 422 (not the request's
// shape), each text/plain, on every generation route and streaming ones too.
TEST_F(Routes, MalformedBodiesGetAxumsTextPlainRejections) {
  struct malformed {
    std::string body, content_type;
    int status;
    std::string starts;
  };
  const malformed cases[] = {
      {"{not json", "application/json", 400, "Failed to parse the request body as JSON: "},
      {R"({"parameters":{}})", "application/json", 422, "Failed to deserialize the JSON body into the target type: "},
      {generate_body(2), "text/plain", 415, "Expected request with `Content-Type: application/json`"},
      {generate_body(2), "", 415, "Expected request with `Content-Type: application/json`"},
  };
  for (const auto* target : {"/generate", "/generate_stream", "/", "/v1/completions", "/v1/chat/completions"})
    for (const auto& c : cases) {
      auto r = send({.method = "POST", .target = target, .body = c.body, .port = port(), .content_type = c.content_type});
      EXPECT_EQ(r.status, c.status) << target << " " << c.body;
      EXPECT_EQ(r.header("content-type"), "text/plain; charset=utf-8") << target << " " << c.body;
      EXPECT_TRUE(r.body.starts_with(c.starts)) << target << ": " << r.body;
    }
  // A JSON Content-Type with a charset is JSON.
  auto ok = send({.method = "POST", .target = "/generate", .body = generate_body(2), .port = port(),
                  .content_type = "application/json; charset=utf-8"});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

// Issue 14 finding 2: with a model that says EOS (--natural-length), LoRAX stops there unless the
// request says ignore_eos_token, on its own routes (in parameters) and OpenAI's (top level);
// vLLM's name, ignore_eos, is dropped as LoRAX drops any field it does not know.
TEST(Eos, AnswersEndAtEosUnlessTheRequestSaysIgnoreEosToken) {
  sim_process sim({"--time-scale", "0.01", "--natural-length", "4"});
  int ended_at_eos = 0;
  for (int i = 0; i < 8; ++i) {
    const auto inputs = "question number " + std::to_string(i);
    auto natural = json::parse(post(sim.port(), "/generate", json{{"inputs", inputs}, {"parameters", {{"max_new_tokens", 40}, {"details", true}}}}.dump()).body);
    const int generated = natural["details"]["generated_tokens"];
    EXPECT_GE(generated, 1);
    EXPECT_LE(generated, 7) << "uniform in [1, 2n - 1]";
    ended_at_eos += natural["details"]["finish_reason"] == "eos_token";
    // The last token is EOS, a special token whose text ("</s>") is not part of generated_text.
    const auto& eos = natural["details"]["tokens"].back();
    EXPECT_EQ(eos["text"], "</s>");
    EXPECT_EQ(eos["special"], true);
    EXPECT_EQ(natural["details"]["tokens"].front()["special"], generated == 1);
    std::string before_eos;
    for (std::size_t t = 0; t + 1 < natural["details"]["tokens"].size(); ++t)
      before_eos += natural["details"]["tokens"][t]["text"].get<std::string>();
    EXPECT_EQ(natural["generated_text"], before_eos);
    auto exact = json::parse(post(sim.port(), "/generate", json{{"inputs", inputs}, {"parameters", {{"max_new_tokens", 40}, {"details", true}, {"ignore_eos_token", true}}}}.dump()).body);
    EXPECT_EQ(exact["details"]["generated_tokens"], 40);
    EXPECT_EQ(exact["details"]["finish_reason"], "length");
  }
  EXPECT_EQ(ended_at_eos, 8);
  auto chat = [&](json extra) {
    json body = {{"model", ""}, {"messages", {{{"role", "user"}, {"content", "hello there"}}}}, {"max_tokens", 40}};
    body.update(extra);
    return json::parse(post(sim.port(), "/v1/chat/completions", body.dump()).body);
  };
  EXPECT_EQ(chat({{"ignore_eos_token", true}})["usage"]["completion_tokens"], 40);
  const auto vllms = chat({{"ignore_eos", true}});
  EXPECT_LT(vllms["usage"]["completion_tokens"], 40) << "LoRAX does not read vLLM's ignore_eos";
  EXPECT_EQ(vllms["choices"][0]["finish_reason"], "stop");
}

TEST_F(Routes, UnknownRoutesAndMethods) {
  EXPECT_EQ(get(port(), "/nope").status, 404);
  EXPECT_EQ(get(port(), "/generate").status, 405);
  EXPECT_EQ(post(port(), "/health", "").status, 405);
}

TEST(Metrics, CountersEqualTheRequestsServed) {
  sim_process sim({"--time-scale", "0.01"});
  int ok = 0, invalid = 0, generation = 0;
  for (int i = 0; i < 7; ++i) ok += post(sim.port(), "/generate", generate_body(2)).status == 200;
  for (int i = 0; i < 3; ++i) ok += post(sim.port(), "/generate_stream", generate_body(2)).status == 200;
  for (int i = 0; i < 4; ++i)
    invalid += post(sim.port(), "/generate", R"({"inputs":"a","parameters":{"max_new_tokens":0}})").status == 422;
  // Refused by the JSON extractor before LoRAX's handler: not a request LoRAX counts.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(post(sim.port(), "/generate", "{").status, 400);
  for (int i = 0; i < 2; ++i) generation += post(sim.port(), "/generate", generate_body(2, "x/y")).status == 424;
  get(sim.port(), "/health");  // not a generation request
  ASSERT_EQ(ok, 10);
  auto m = get(sim.port(), "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.header("content-type").rfind("text/plain", 0), 0u);
  EXPECT_EQ(metric_value(m.body, "lorax_request_count"), 16);
  EXPECT_EQ(metric_value(m.body, "lorax_request_success"), 10);
  EXPECT_EQ(metric_value(m.body, "lorax_request_failure{err=\"validation\"}"), invalid);
  EXPECT_EQ(metric_value(m.body, "lorax_request_failure{err=\"generation\"}"), generation);
  EXPECT_EQ(metric_value(m.body, "lorax_request_duration_count"), 10);
  EXPECT_EQ(metric_value(m.body, "lorax_request_generated_tokens_sum"), 20);
  EXPECT_EQ(metric_value(m.body, "lorax_queue_length"), 0);
  EXPECT_EQ(metric_value(m.body, "lorax_batch_current_size"), 0);
}

}  // namespace
}  // namespace sim_test
