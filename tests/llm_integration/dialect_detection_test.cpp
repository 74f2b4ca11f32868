// Which server a target is, asked before the load (`loadgate run --dialect auto`): the simulator's
// /info is LoRAX's, a vLLM model list names its owner, an OpenAI-shaped list is openai; anything
// else is an error that names the flag. And the dialect reaches the OpenAI-route tasks' bodies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "loadgate/dialect_detection.hpp"
#include "loadgate/error.hpp"
#include "loadgate/llm/llm.hpp"
#include "loadgate/scenario_file.hpp"
#include "loadgate_command.hpp"
#include "sim_process.hpp"
#include "test_client.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using ::testing::HasSubstr;

// vLLM's GET /v1/models (vllm/entrypoints/openai/protocol.py, ModelCard): owned_by "vllm".
const char* const vllm_models =
    R"({"object":"list","data":[{"id":"meta-llama/Llama-3.1-8B-Instruct","object":"model","created":1764800000,)"
    R"("owned_by":"vllm","root":"meta-llama/Llama-3.1-8B-Instruct","parent":null,"max_model_len":8192}]})";
const char* const openai_models = R"({"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1,"owned_by":"system"}]})";

TEST(DialectDetection, TheSimulatorAnswersLoraxsInfo) {
  sim_test::sim_process sim({"--time-scale", "0.05"});
  const auto found = detect_dialect(target::parse(sim.url()));
  EXPECT_EQ(found.dialect, llm::dialect::lorax);
  EXPECT_THAT(found.evidence, HasSubstr("GET /info"));
}

TEST(DialectDetection, AModelListOwnedByVllmIsVllmAndAnyOtherListIsOpenAi) {
  // The test server gives the same answer on every path: /info is then not LoRAX's Info.
  testing::test_server vllm{{.body = vllm_models}};
  const auto found = detect_dialect(target::parse(vllm.url()));
  EXPECT_EQ(found.dialect, llm::dialect::vllm);
  EXPECT_THAT(found.evidence, HasSubstr("owned_by vllm"));
  testing::test_server openai{{.body = openai_models}};
  EXPECT_EQ(detect_dialect(target::parse(openai.url())).dialect, llm::dialect::openai);
}

TEST(DialectDetection, AServerThatTellsNeitherIsAnErrorThatNamesTheFlag) {
  testing::test_server nginx{{.status = 404, .body = "<html>404 Not Found</html>"}};
  try {
    (void)detect_dialect(target::parse(nginx.url()));
    FAIL() << "expected a configuration_error";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("HTTP 404"));
    EXPECT_THAT(e.what(), HasSubstr("--dialect lorax, vllm or openai"));
  }
  EXPECT_THROW((void)detect_dialect(target::parse("http://127.0.0.1:" + std::to_string(testing::unused_port()))),
               start_error);
}

TEST(DialectDetection, WithDialectRebuildsOnlyTheOpenAiRouteTasks) {
  const auto s = scenario{"mixed"}
                     .task(openai::chat_completions({.max_new_tokens = 8, .ignore_eos = true}))
                     .task(lorax::generate({.max_new_tokens = 8}));
  const auto vllm = with_dialect(s, llm::dialect::vllm);
  ASSERT_EQ(vllm.tasks().size(), 2u);
  EXPECT_THAT(vllm.tasks()[0].task.description, HasSubstr(R"("dialect":"vllm")"));
  EXPECT_EQ(vllm.tasks()[1].task.description, s.tasks()[1].task.description);
  random_engine rng{1};
  task_context ctx{rng, 0, 0};
  const auto body = vllm.tasks()[0].task.request(ctx).body;
  EXPECT_THAT(body, HasSubstr(R"("ignore_eos":true)")) << "vLLM's name for it";
  EXPECT_THAT(body, ::testing::Not(HasSubstr("ignore_eos_token")));
  EXPECT_THROW((void)with_dialect(s, llm::dialect::openai), configuration_error) << "OpenAI cannot ignore EOS";
  EXPECT_THROW((void)with_dialect(scenario{"lorax-only"}.task(lorax::generate({})), llm::dialect::vllm),
               configuration_error);
}

TEST(DialectDetection, WithDialectMovesANeutralTaskToTheDialectsRoute) {
  const auto s = scenario{"neutral"}.task(llm::generate({.max_new_tokens = 8})).task(llm::generate_stream({.max_new_tokens = 8}));
  EXPECT_TRUE(has_dialect_tasks(s));
  EXPECT_TRUE(has_llm_tasks(s));
  EXPECT_FALSE(has_dialect_tasks(scenario{"lorax-only"}.task(lorax::generate({}))));
  EXPECT_TRUE(has_llm_tasks(scenario{"lorax-only"}.task(lorax::generate({}))));
  EXPECT_FALSE(has_llm_tasks(scenario{"plain"}.task(http_task("health", "GET", "/health"))));
  const auto vllm = with_dialect(s, llm::dialect::vllm);
  random_engine rng{1};
  task_context ctx{rng, 0, 0};
  EXPECT_EQ(s.tasks()[0].task.request(ctx).path, "/generate");
  EXPECT_EQ(vllm.tasks()[0].task.request(ctx).path, "/v1/completions");
  EXPECT_EQ(vllm.tasks()[1].task.name, "generate_stream") << "one name for SLOs and baselines";
  EXPECT_THAT(vllm.tasks()[1].task.request(ctx).body, HasSubstr(R"("stream":true)"));

  // A task written in C++ cannot be rebuilt from a spec, and need not be: it stays as it is.
  task code;
  code.name = "custom";
  code.request = [](task_context&) { return http_request{}; };
  const auto mixed = with_dialect(scenario{"mixed"}.task(llm::generate({})).task(code), llm::dialect::vllm);
  ASSERT_EQ(mixed.tasks().size(), 2u);
  EXPECT_EQ(mixed.tasks()[0].task.request(ctx).path, "/v1/completions");
  EXPECT_EQ(mixed.tasks()[1].task.name, "custom");
}

// LOADGATE_DIALECT is what a GoogleTest scenario speaks (the perf suite's vLLM mode sets it).
class DialectFromEnvironment : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv("LOADGATE_DIALECT"); }
};

TEST_F(DialectFromEnvironment, UnsetIsNoneANameIsThatDialectAndAnythingElseSaysWhatToUse) {
  const auto nowhere = target::parse("http://127.0.0.1:9");
  ::unsetenv("LOADGATE_DIALECT");
  EXPECT_FALSE(dialect_from_env(nowhere));
  ::setenv("LOADGATE_DIALECT", "vllm", 1);
  const auto named = dialect_from_env(nowhere);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->dialect, llm::dialect::vllm);
  EXPECT_EQ(named->evidence, "LOADGATE_DIALECT=vllm");
  ::setenv("LOADGATE_DIALECT", "tgi", 1);
  try {
    (void)dialect_from_env(nowhere);
    FAIL() << "expected a configuration_error";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_DIALECT=tgi: use lorax, vllm, openai or auto"));
  }
  sim_test::sim_process sim({"--time-scale", "0.05"});
  ::setenv("LOADGATE_DIALECT", "auto", 1);
  EXPECT_EQ(dialect_from_env(target::parse(sim.url()))->dialect, llm::dialect::lorax) << "auto asks the target";
}

// lorax-sim --dialect vllm is found as vLLM, and its vllm: metrics read in loadgate's vocabulary.
TEST(DialectDetection, TheSimulatorAsVllmIsVllmAndItsMetricsReadInTheVocabulary) {
  sim_test::sim_process sim({"--time-scale", "0.05", "--dialect", "vllm"});
  const auto found = detect_dialect(target::parse(sim.url()));
  EXPECT_EQ(found.dialect, llm::dialect::vllm);
  EXPECT_THAT(found.evidence, HasSubstr("owned_by vllm"));
  ASSERT_EQ(sim_test::post(sim.port(), "/v1/completions",
                           R"({"model":"loadgate/support-lora-v1","prompt":"one two","max_tokens":2})").status, 200);
  const auto metrics = sim_test::get(sim.port(), "/metrics");
  ASSERT_EQ(metrics.status, 200);
  const auto readings = llm::server_readings(metrics.body);
  for (const auto* name : {"queue_length", "running_batch", "kv_cache_usage", "active_adapters", "waiting_adapters"})
    EXPECT_TRUE(readings.contains(name)) << name << " from vLLM's names in:\n" << metrics.body;
  // vllm:lora_requests_info lists the adapters of running and waiting requests: none once done.
  EXPECT_EQ(readings.at("active_adapters"), 0);
  EXPECT_EQ(readings.at("waiting_adapters"), 0);
  EXPECT_NE(metrics.body.find("running_lora_adapters=\"\""), std::string::npos) << metrics.body;
}

// The project's scenarios' way: dialect-neutral tasks, the dialect asked of the target.
TEST(DialectDetection, NeutralTasksRunAgainstTheSimulatorAsVllmUnchanged) {
  sim_test::sim_process sim({"--time-scale", "0.05", "--dialect", "vllm"});
  const std::filesystem::path dir = sim_test::make_temp_dir("loadgate-neutral");
  const auto file = dir / "scenario.json";
  std::ofstream{file} << R"({"name": "neutral", "load": {"model": "closed", "users": 2},
    "tasks": [{"type": "llm.generate", "max_new_tokens": 4,
               "adapters": {"type": "identical", "adapters": ["s3://loadgate-adapters/summarize-v1"]}},
              {"type": "llm.generate_stream", "max_new_tokens": 4}]})";
  const auto ran = test_support::run_loadgate("run " + sim.url() + " --scenario " + file.string() +
                                              " --dialect auto --duration 1s --quiet --out " + (dir / "out").string());
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_THAT(ran.output, HasSubstr("dialect: vllm"));
  const auto result = nlohmann::json::parse(std::ifstream{test_support::only_run_folder(dir / "out") / "result.json"});
  std::set<std::string> names;
  for (const auto& [name, summary] : result.at("summary").at("requests").items()) {
    names.insert(name);
    EXPECT_GT(summary.at("count").get<long>(), 0) << name;
    EXPECT_EQ(summary.at("failure_rate").get<double>(), 0.0) << name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"generate", "generate_stream"})) << "the same names as against LoRAX";
}

TEST(DialectDetection, RunDialectAutoSaysWhatItFoundAndRuns) {
  sim_test::sim_process sim({"--time-scale", "0.05"});
  const std::filesystem::path dir = sim_test::make_temp_dir("loadgate-dialect");
  const auto file = dir / "scenario.json";
  std::ofstream{file} << R"({"name": "chat", "load": {"model": "closed", "users": 2},
    "tasks": [{"type": "openai.chat_completions", "max_new_tokens": 4}]})";
  const auto ran = test_support::run_loadgate("run " + sim.url() + " --scenario " + file.string() +
                                              " --dialect auto --duration 1s --quiet --out " + (dir / "out").string());
  EXPECT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_THAT(ran.output, HasSubstr("dialect: lorax (GET /info answered LoRAX's Info"));
  const auto wrong = test_support::run_loadgate("run " + sim.url() + " --scenario " + file.string() +
                                                " --dialect tgi --duration 1s --quiet --out " + (dir / "out").string());
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_THAT(wrong.output, HasSubstr("--dialect tgi: use lorax, vllm, openai or auto"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace loadgate
