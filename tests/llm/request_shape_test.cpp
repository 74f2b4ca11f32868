#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/llm/generate.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/llm/non_streaming_reader.hpp"
#include "loadgate/llm/openai.hpp"
#include "loadgate/llm/stream_reader.hpp"

namespace loadgate::llm {
namespace {

using nlohmann::json;

http_request build(const task& t, std::uint64_t seed = 1) {
  loadgate::random_engine rng{seed};
  task_context ctx{rng, 0, 0};
  return t.request(ctx);
}

std::size_t words_in(const json& text) {
  std::istringstream in{text.get<std::string>()};
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

std::optional<std::string> header(const http_request& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return std::nullopt;
}

generation_options with_adapter() {
  generation_options o;
  o.max_new_tokens = 32;
  o.ignore_eos = true;
  o.temperature = 0.7;
  o.adapters = adapter_selection::identical(adapter{"org/sql-lora", "s3", 20});
  o.prompts = prompt_source::synthetic(length_distribution::fixed(5));
  return o;
}

TEST(LoraxShapes, GenerateBody) {
  const auto t = lorax::generate(with_adapter());
  EXPECT_EQ(t.name, "generate");
  const auto r = build(t);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/generate");
  EXPECT_FALSE(header(r, "Authorization"));
  const auto body = json::parse(r.body);
  EXPECT_EQ(body.size(), 2u);
  EXPECT_TRUE(body.at("inputs").is_string());
  const auto expected = json::parse(R"({"max_new_tokens": 32, "details": true, "ignore_eos_token": true,
      "adapter_id": "org/sql-lora", "adapter_source": "s3", "temperature": 0.7})");
  EXPECT_EQ(body.at("parameters"), expected);
  EXPECT_NE(dynamic_cast<non_streaming_reader*>(t.reader().get()), nullptr);
}

TEST(LoraxShapes, GenerateStreamAsksForEventsAndReadsThem) {
  const auto t = lorax::generate_stream({.max_new_tokens = 8});
  EXPECT_EQ(t.name, "generate_stream");
  const auto r = build(t);
  EXPECT_EQ(r.path, "/generate_stream");
  EXPECT_EQ(header(r, "Accept"), "text/event-stream");
  const auto parameters = json::parse(r.body).at("parameters");
  // The base model: no adapter_id at all, and no sampling knob that was not asked for.
  EXPECT_EQ(parameters, json::parse(R"({"max_new_tokens": 8, "details": true, "ignore_eos_token": false})"));
  EXPECT_NE(dynamic_cast<stream_reader*>(t.reader().get()), nullptr);
}

TEST(LoraxShapes, PromptOutputLengthWinsAndAdapterSourceOverrides) {
  auto o = with_adapter();
  o.prompts = prompt_source::synthetic(length_distribution::fixed(3), length_distribution::fixed(99));
  o.adapter_source = "local";
  const auto parameters = json::parse(build(lorax::generate(o)).body).at("parameters");
  EXPECT_EQ(parameters.at("max_new_tokens"), 99);
  EXPECT_EQ(parameters.at("adapter_source"), "local");
}

TEST(LoraxShapes, PromptsNeedNoEscapingByHand) {
  auto o = with_adapter();
  o.prompts = prompt_source::from_jsonl_text(R"({"prompt": "say \"hi\"\n\tand {leave}"})");
  EXPECT_EQ(json::parse(build(lorax::generate(o)).body).at("inputs"), "say \"hi\"\n\tand {leave}");
}

TEST(OpenAiShapes, CompletionsBody) {
  auto o = with_adapter();
  const auto t = openai::completions(o);
  EXPECT_EQ(t.name, "completions");
  const auto r = build(t);
  EXPECT_EQ(r.path, "/v1/completions");
  auto body = json::parse(r.body);
  EXPECT_TRUE(body.at("prompt").is_string());
  body.erase("prompt");
  // LoRAX (the default dialect) reads top-level adapter_source and ignore_eos_token; without the
  // source it loads the s3 adapter from the hub and fails with 424.
  EXPECT_EQ(body, json::parse(R"({"model": "org/sql-lora", "max_tokens": 32, "stream": false,
                                  "adapter_source": "s3", "ignore_eos_token": true, "temperature": 0.7})"));
  EXPECT_NE(dynamic_cast<non_streaming_reader*>(t.reader().get()), nullptr);
}

TEST(OpenAiShapes, EachDialectSendsItsOwnExtensions) {
  auto o = with_adapter();
  o.temperature.reset();
  const auto body_of = [&](dialect d) {
    o.dialect = d;
    auto body = json::parse(build(openai::completions(o)).body);
    body.erase("prompt");
    return body;
  };
  EXPECT_EQ(body_of(dialect::vllm), json::parse(R"({"model": "org/sql-lora", "max_tokens": 32, "stream": false,
                                                    "ignore_eos": true})"));
  o.ignore_eos = false;
  EXPECT_EQ(body_of(dialect::openai), json::parse(R"({"model": "org/sql-lora", "max_tokens": 32, "stream": false})"));
  EXPECT_EQ(body_of(dialect::lorax), json::parse(R"({"model": "org/sql-lora", "max_tokens": 32, "stream": false,
                                                     "adapter_source": "s3"})"));
  o.adapters = adapter_selection::identical(adapter{});  // the base model: no source to name
  EXPECT_FALSE(body_of(dialect::lorax).contains("adapter_source"));
}

TEST(OpenAiShapes, OpenAisDialectRefusesIgnoreEosWhenTheTaskIsMade) {
  auto o = with_adapter();
  o.dialect = dialect::openai;
  try {
    (void)openai::chat_completions(o);
    FAIL() << "expected configuration_error";
  } catch (const configuration_error& e) {
    EXPECT_NE(std::string{e.what()}.find("ignore_eos is not part of OpenAI's API"), std::string::npos) << e.what();
  }
}

TEST(OpenAiShapes, TheDialectIsReadFromAndWrittenToScenarioFiles) {
  auto o = with_adapter();
  EXPECT_FALSE(json(o).contains("dialect")) << "the default is left out, so older fingerprints stay";
  o.dialect = dialect::vllm;
  const json written = o;
  EXPECT_EQ(written.at("dialect"), "vllm");
  EXPECT_EQ(written.get<generation_options>().dialect, dialect::vllm);
  auto wrong = written;
  wrong["dialect"] = "tgi";
  EXPECT_THROW((void)wrong.get<generation_options>(), configuration_error);
  // An OpenAI task's recorded configuration always names it: what it sends depends on it, and a
  // baseline recorded before dialects (vLLM's names sent to every server) must read as stale.
  EXPECT_EQ(json::parse(openai::completions(with_adapter()).description).at("dialect"), "lorax");
  EXPECT_FALSE(json::parse(lorax::generate(with_adapter()).description).contains("dialect"));
}

// The project's own scenarios are written with these, and run against LoRAX and vLLM unchanged.
TEST(NeutralShapes, EachDialectGetsItsOwnRouteAndBodyUnderOneName) {
  auto o = with_adapter();
  const auto lorax_request = build(generate(o));
  EXPECT_EQ(lorax_request.path, "/generate");
  EXPECT_EQ(json::parse(lorax_request.body), json::parse(build(lorax::generate(o)).body)) << "LoRAX's own body";
  const auto lorax_stream = build(generate_stream(o));
  EXPECT_EQ(lorax_stream.path, "/generate_stream");
  EXPECT_EQ(header(lorax_stream, "Accept"), "text/event-stream");

  o.dialect = dialect::vllm;
  const auto vllm_request = build(generate(o));
  EXPECT_EQ(vllm_request.path, "/v1/completions");
  const auto vllm_body = json::parse(vllm_request.body);
  EXPECT_EQ(vllm_body.at("model"), "org/sql-lora") << "vLLM names a LoRA adapter as a model";
  EXPECT_EQ(vllm_body.at("ignore_eos"), true);
  EXPECT_EQ(vllm_body.at("stream"), false);
  const auto vllm_stream = json::parse(build(generate_stream(o)).body);
  EXPECT_EQ(vllm_stream.at("stream"), true);
  EXPECT_EQ(vllm_stream.at("stream_options").at("include_usage"), true) << "else vLLM sends no token counts";

  for (const auto d : {dialect::lorax, dialect::vllm, dialect::openai}) {
    o.dialect = d;
    o.ignore_eos = d != dialect::openai;
    EXPECT_EQ(generate(o).name, "generate") << to_string(d);
    EXPECT_EQ(generate_stream(o).name, "generate_stream") << to_string(d);
  }
}

TEST(NeutralShapes, TheDescriptionNamesTheDialectSoABaselineOfAnotherServerIsStale) {
  auto o = with_adapter();
  const auto lorax_spec = json::parse(generate(o).description);
  EXPECT_EQ(lorax_spec.at("type"), "llm.generate");
  EXPECT_EQ(lorax_spec.at("dialect"), "lorax");
  o.dialect = dialect::vllm;
  const auto vllm_spec = json::parse(generate_stream(o).description);
  EXPECT_EQ(vllm_spec.at("type"), "llm.generate_stream");
  EXPECT_EQ(vllm_spec.at("dialect"), "vllm");
  o.dialect = dialect::openai;
  EXPECT_THROW((void)generate(o), configuration_error) << "ignore_eos cannot be asked of OpenAI";
}

TEST(OpenAiShapes, StreamedChatBody) {
  auto o = with_adapter();
  o.stream = true;
  o.ignore_eos = false;
  o.temperature.reset();
  const auto t = openai::chat_completions(o);
  EXPECT_EQ(t.name, "chat_completions_stream");
  const auto r = build(t);
  EXPECT_EQ(r.path, "/v1/chat/completions");
  EXPECT_EQ(header(r, "Accept"), "text/event-stream");
  auto body = json::parse(r.body);
  const auto messages = body.at("messages");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].at("role"), "user");
  EXPECT_EQ(words_in(messages[0].at("content")), 5u);
  body.erase("messages");
  EXPECT_EQ(body, json::parse(R"({"model": "org/sql-lora", "max_tokens": 32, "stream": true, "adapter_source": "s3",
                                  "stream_options": {"include_usage": true}})"));
  EXPECT_NE(dynamic_cast<stream_reader*>(t.reader().get()), nullptr);
}

TEST(OpenAiShapes, BaseModelUsesTheConfiguredModelName) {
  generation_options o;
  o.model = "mistralai/Mistral-7B-v0.1";
  EXPECT_EQ(json::parse(build(openai::completions(o)).body).at("model"), "mistralai/Mistral-7B-v0.1");
  EXPECT_EQ(json::parse(build(openai::completions({})).body).at("model"), "");
}

TEST(OpenAiShapes, EachRequestDrawsItsAdapter) {
  generation_options o;
  o.adapters = adapter_selection::round_robin({adapter{"x"}, adapter{"y"}});
  const auto t = openai::completions(o);
  EXPECT_EQ(json::parse(build(t).body).at("model"), "x");
  EXPECT_EQ(json::parse(build(t).body).at("model"), "y");
}

class ApiToken : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("LOADGATE_TEST_TOKEN", "s3cr3t-t0ken", 1); }
  void TearDown() override { ::unsetenv("LOADGATE_TEST_TOKEN"); }
};

TEST_F(ApiToken, IsSentAsBearerAndNeverSerialised) {
  auto o = with_adapter();
  o.api_token_env = "LOADGATE_TEST_TOKEN";
  for (const auto& t : {lorax::generate(o), lorax::generate_stream(o), openai::completions(o), openai::chat_completions(o)}) {
    const auto r = build(t);
    EXPECT_EQ(header(r, "Authorization"), "Bearer s3cr3t-t0ken");
    EXPECT_EQ(r.body.find("s3cr3t"), std::string::npos);  // not as api_token in the body either
  }
  const auto serialised = json(o).dump();
  EXPECT_EQ(serialised.find("s3cr3t"), std::string::npos);
  EXPECT_NE(serialised.find("LOADGATE_TEST_TOKEN"), std::string::npos);
}

TEST_F(ApiToken, ANamedButUnsetVariableIsAConfigurationError) {
  generation_options o;
  o.api_token_env = "LOADGATE_TEST_TOKEN_THAT_IS_NOT_SET";
  EXPECT_THROW(lorax::generate(o), configuration_error);
}

TEST(GenerationOptions, JsonDescribesTheWorkload) {
  auto o = with_adapter();
  o.name = "sql";
  const json j = o;
  EXPECT_EQ(j.at("name"), "sql");
  EXPECT_EQ(j.at("adapters").at("type"), "identical");
  EXPECT_EQ(j.at("prompts").at("input").at("n"), 5);
  EXPECT_EQ(j.at("temperature"), 0.7);
}

}  // namespace
}  // namespace loadgate::llm
