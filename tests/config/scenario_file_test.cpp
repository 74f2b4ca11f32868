#include "loadgate/scenario_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using testing::HasSubstr;

namespace {

std::string error_of(const json& j) {
  try {
    loadgate::scenario_from_json(j);
  } catch (const loadgate::configuration_error& e) {
    return e.what();
  }
  return "(accepted)";
}

json minimal() { return json{{"tasks", json::array({json{{"path", "/health"}}})}}; }

}  // namespace

TEST(ScenarioFile, ReadsEveryKnob) {
  const json j = json::parse(R"({
    "name": "steady", "users": 20, "spawn_rate": 5, "duration_s": 2.5, "seed": 7, "threads": 2,
    "grace_s": 1, "connect_timeout_s": 0.5, "request_timeout_s": 3, "idle_timeout_s": 2,
    "think_time": {"type": "constant", "wait_ms": 100},
    "tasks": [{"name": "gen", "weight": 3, "path": "/generate", "body": {"inputs": "hi"}},
              {"path": "/health"}]
  })");
  const auto s = loadgate::scenario_from_json(j);
  EXPECT_EQ(s.name(), "steady");
  EXPECT_EQ(s.users(), 20u);
  EXPECT_EQ(s.spawn_rate(), 5);
  EXPECT_EQ(s.duration(), 2500ms);
  EXPECT_EQ(s.seed(), 7u);
  EXPECT_EQ(s.threads(), 2u);
  EXPECT_EQ(s.grace(), 1s);
  EXPECT_EQ(s.connect_timeout(), 500ms);
  EXPECT_EQ(s.request_timeout(), 3s);
  EXPECT_EQ(s.idle_timeout(), 2s);
  EXPECT_EQ(s.think_time(), loadgate::constant(100ms));
  ASSERT_EQ(s.tasks().size(), 2u);
  EXPECT_EQ(s.tasks()[0].weight, 3u);
  EXPECT_EQ(s.tasks()[0].task.name, "gen");
  EXPECT_EQ(s.tasks()[1].task.name, "GET /health");

  std::mt19937_64 rng{1};
  loadgate::task_context context{rng, 0, 0};
  const auto request = s.tasks()[0].task.request(context);
  EXPECT_EQ(request.method, "POST") << "a task with a body is a POST unless it says otherwise";
  EXPECT_EQ(json::parse(request.body), (json{{"inputs", "hi"}}));
}

TEST(ScenarioFile, OpenModelWithStages) {
  auto j = minimal();
  j["rate"] = 50;
  j["arrivals"] = {{"type", "gamma"}, {"burstiness", 0.5}};
  j["max_in_flight"] = 10;
  j["stages"] = json::array({{{"target", 10}, {"ramp_s", 1}, {"hold_s", 2}}});
  j["open_stages"] = true;
  const auto s = loadgate::scenario_from_json(j);
  EXPECT_TRUE(s.open_model());
  EXPECT_EQ(s.arrivals(), loadgate::arrival_process::gamma(0.5));
  EXPECT_EQ(s.max_in_flight(), 10u);
  EXPECT_EQ(s.duration(), 3s) << "stages decide the duration";
}

TEST(ScenarioFile, UnknownFieldIsNamed) {
  auto j = minimal();
  j["userz"] = 10;
  const auto message = error_of(j);
  EXPECT_THAT(message, HasSubstr("unknown field 'userz'"));
  EXPECT_THAT(message, HasSubstr("users")) << "the message lists the known fields";
}

TEST(ScenarioFile, UnknownTaskFieldIsNamedWithItsPlace) {
  auto j = minimal();
  j["tasks"][0]["pathh"] = "/x";
  EXPECT_THAT(error_of(j), HasSubstr("tasks[0]: unknown field 'pathh'"));
}

TEST(ScenarioFile, BadValuesAreRejectedBeforeTheRun) {
  auto negative_users = minimal();
  negative_users["users"] = -3;
  EXPECT_THAT(error_of(negative_users), HasSubstr("users"));

  auto zero_duration = minimal();
  zero_duration["duration_s"] = 0;
  EXPECT_THAT(error_of(zero_duration), HasSubstr("duration"));

  auto wrong_type = minimal();
  wrong_type["users"] = "many";
  EXPECT_THAT(error_of(wrong_type), HasSubstr("field 'users' has the wrong type"));

  EXPECT_THAT(error_of(json{{"users", 1}}), HasSubstr("'tasks' must be a non-empty array"));
  EXPECT_THAT(error_of(json::array()), HasSubstr("expected a JSON object"));
}

TEST(ScenarioFile, FileErrorsNameTheFile) {
  const auto file = std::filesystem::temp_directory_path() / "loadgate-scenario-file-test.json";
  std::ofstream{file} << "{ \"users\": 3, ";
  try {
    loadgate::load_scenario_file(file);
    FAIL() << "a truncated file was accepted";
  } catch (const loadgate::configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
    EXPECT_THAT(e.what(), HasSubstr("not valid JSON"));
  }
  std::filesystem::remove(file);
  EXPECT_THROW(loadgate::load_scenario_file("/nonexistent/scenario.json"), loadgate::configuration_error);
}

TEST(ScenarioFile, LlmTasksWithAdaptersPromptsAndTheSlo) {
  const json j = json::parse(R"({
    "llm_slo": {"ttft_ms": 250, "tpot_ms": 50},
    "tasks": [{"type": "lorax.generate_stream", "weight": 2, "max_new_tokens": 12,
               "adapters": {"type": "weighted", "adapters": [{"id": "org/a", "source": "pbase", "weight": 1},
                                                             {"id": "org/b", "weight": 0}]},
               "prompts": {"type": "synthetic", "input": {"type": "fixed", "n": 3}}},
              {"type": "openai.chat_completions", "stream": true, "model": "base"}]
  })");
  const auto s = loadgate::scenario_from_json(j);
  ASSERT_EQ(s.tasks().size(), 2u);
  EXPECT_EQ(s.tasks()[0].weight, 2u);
  EXPECT_EQ(s.tasks()[0].task.name, "generate_stream");
  EXPECT_EQ(s.tasks()[1].task.name, "chat_completions_stream");
  EXPECT_EQ(s.llm_slo().ttft, std::chrono::nanoseconds{250ms});
  std::mt19937_64 rng{1};
  loadgate::task_context context{rng, 0, 0};
  const auto request = s.tasks()[0].task.request(context);
  EXPECT_EQ(request.path, "/generate_stream");
  EXPECT_EQ(request.adapter, "org/a") << "given to the reader, for per-adapter statistics";
  const auto body = json::parse(request.body);
  EXPECT_EQ(body["parameters"]["adapter_id"], "org/a");
  EXPECT_EQ(body["parameters"]["adapter_source"], "pbase");
  EXPECT_EQ(body["parameters"]["max_new_tokens"], 12);
  EXPECT_FALSE(body["inputs"].get<std::string>().empty());
}

TEST(ScenarioFile, LlmTaskTypoIsRejectedByName) {
  auto j = minimal();
  j["tasks"] = json::array({json{{"type", "lorax.generate"}, {"max_new_tokenz", 5}}});
  EXPECT_THAT(error_of(j), HasSubstr("unknown field 'max_new_tokenz'"));
  j["tasks"] = json::array({json{{"type", "lorax.generate"}, {"adapters", {{"type", "zipf"}, {"sigma", 1}}}}});
  EXPECT_THAT(error_of(j), HasSubstr("unknown field 'sigma'"));
  j["tasks"] = json::array({json{{"type", "vllm.generate"}}});
  EXPECT_THAT(error_of(j), HasSubstr("unknown type 'vllm.generate'"));
}
