#include "loadgate/scenario_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/fingerprint.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/llm/openai.hpp"
#include "loadgate/think_time.hpp"
#include "temp_path.hpp"

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
    "name": "steady", "duration_s": 2.5, "seed": 7, "threads": 2, "grace_s": 1,
    "load": {"model": "closed", "users": 20, "spawn_rate": 5, "think_time": {"type": "constant", "wait_ms": 100},
             "close_idle_after_s": 30},
    "timeouts_s": {"connect": 0.5, "request": 3, "idle": 2},
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
  EXPECT_EQ(s.close_idle_after(), std::optional<std::chrono::nanoseconds>{30s});
  ASSERT_EQ(s.tasks().size(), 2u);
  EXPECT_EQ(s.tasks()[0].weight, 3u);
  EXPECT_EQ(s.tasks()[0].task.name, "gen");
  EXPECT_EQ(s.tasks()[1].task.name, "GET /health");

  loadgate::random_engine rng{1};
  loadgate::task_context context{rng, 0, 0};
  const auto request = s.tasks()[0].task.request(context);
  EXPECT_EQ(request.method, "POST") << "a task with a body is a POST unless it says otherwise";
  EXPECT_EQ(json::parse(request.body), (json{{"inputs", "hi"}}));
}

TEST(ScenarioFile, OpenModelWithStages) {
  auto j = minimal();
  j["load"] = {{"model", "open"}, {"arrivals", {{"type", "gamma"}, {"burstiness", 0.5}}}, {"max_in_flight", 10}};
  j["stages"] = json::array({{{"target", 10}, {"ramp_s", 1}, {"hold_s", 2}}});
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
  EXPECT_THAT(message, HasSubstr("load")) << "the message lists the known fields";
}

TEST(ScenarioFile, UnknownTaskFieldIsNamedWithItsPlace) {
  auto j = minimal();
  j["tasks"][0]["pathh"] = "/x";
  EXPECT_THAT(error_of(j), HasSubstr("tasks[0]: unknown field 'pathh'"));
}

TEST(ScenarioFile, ANeutralTasksTypeDecidesWhetherItStreams) {
  auto j = minimal();
  j["tasks"] = json::array({{{"type", "llm.generate"}, {"stream", true}}});
  EXPECT_THAT(error_of(j), HasSubstr("tasks[0]: llm.generate says \"stream\": true, which its type decides: use llm.generate_stream"));
  j["tasks"][0] = {{"type", "llm.generate_stream"}, {"stream", false}};
  EXPECT_THAT(error_of(j), HasSubstr("use llm.generate (or drop \"stream\")"));
  j["tasks"][0] = {{"type", "llm.generate_stream"}, {"stream", true}};
  EXPECT_NO_THROW((void)loadgate::scenario_from_json(j)) << "agreeing with the type is fine";
}

TEST(ScenarioFile, BadValuesAreRejectedBeforeTheRun) {
  auto negative_users = minimal();
  negative_users["load"] = {{"users", -3}};
  EXPECT_THAT(error_of(negative_users), HasSubstr("users"));

  auto zero_duration = minimal();
  zero_duration["duration_s"] = 0;
  EXPECT_THAT(error_of(zero_duration), HasSubstr("duration"));

  auto wrong_type = minimal();
  wrong_type["load"] = {{"users", "many"}};
  EXPECT_THAT(error_of(wrong_type), HasSubstr("field 'users' has the wrong type"));

  auto wrong_model = minimal();
  wrong_model["load"] = {{"model", "closed"}, {"rate", 5}};
  EXPECT_THAT(error_of(wrong_model), HasSubstr("scenario.load: unknown field 'rate'"));

  EXPECT_THAT(error_of(json{{"seed", 1}}), HasSubstr("'tasks' must be a non-empty array"));
  EXPECT_THAT(error_of(json::array()), HasSubstr("expected a JSON object"));
}

TEST(ScenarioFile, FileErrorsNameTheFile) {
  const auto file = loadgate::test_support::temp_path("scenario-file", ".json");
  std::ofstream{file} << "{ \"seed\": 3, ";
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
  loadgate::random_engine rng{1};
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

// Files in the earlier flat format get one line saying where each key lives now.
TEST(ScenarioFile, FlatKeysOfTheEarlierFormatSayWhereTheyMoved) {
  auto j = minimal();
  j["users"] = 10;
  EXPECT_THAT(error_of(j), HasSubstr("'users' is now written \"load\": {\"model\": \"closed\", \"users\": N}"));
  j = minimal();
  j["connect_timeout_s"] = 1;
  EXPECT_THAT(error_of(j), HasSubstr("\"timeouts_s\": {\"connect\": S}"));
}

namespace {

std::string fingerprint_of(const loadgate::scenario& s) { return loadgate::fingerprint(json(s)); }

}  // namespace

// The one mapping: a scenario written and read back is the same load, knob for knob and task for
// task, and so has the same fingerprint.
TEST(ScenarioFile, ScenarioToJsonAndBackKeepsTheFingerprint) {
  using namespace loadgate;
  const lorax::options generate{.max_new_tokens = 32, .adapters = llm::adapter_selection::zipf({{"org/a", "hub", 16}, {"org/b", "s3", 8}}, 1.1)};
  const std::vector<scenario> scenarios{
      scenario{"closed"}.users(24).spawn_rate(24).duration(12s).grace(2s).think_time(between(10ms, 30ms))
          .task(3, lorax::generate(generate)).task(1, lorax::generate_stream({.max_new_tokens = 64})),
      scenario{"reconnecting"}.users(8).think_time(constant(2s)).close_idle_after(1s).task(lorax::generate({})),
      scenario{"open"}.rate(400).arrivals(arrival_process::poisson()).max_in_flight(256).duration(12s)
          .task(lorax::generate({.max_new_tokens = 16})),
      scenario{"staged"}.stages({{.target = 4, .ramp = 0s, .hold = 4s}, {.target = 40, .ramp = 2s, .hold = 6s}})
          .llm_slo({.ttft = 250ms}).connect_timeout(2s).seed(9).threads(2)
          .task(openai::chat_completions({.stream = true, .model = "base"}))
          .task(http_task("health", "GET", "/health", "", {{"X-Probe", "1"}}))};
  for (const auto& s : scenarios) {
    const auto written = json(s);
    const auto read = scenario_from_json(written);
    EXPECT_EQ(json(read), written) << s.name();
    EXPECT_EQ(fingerprint_of(read), fingerprint_of(s)) << s.name();
    EXPECT_EQ(read.open_model(), s.open_model());
    EXPECT_EQ(read.load(), s.load());
    EXPECT_EQ(read.stages(), s.stages());
    EXPECT_EQ(read.duration(), s.duration());
    ASSERT_EQ(read.tasks().size(), s.tasks().size());
    for (std::size_t i = 0; i < s.tasks().size(); ++i) {
      EXPECT_EQ(read.tasks()[i].task.name, s.tasks()[i].task.name);
      EXPECT_EQ(read.tasks()[i].weight, s.tasks()[i].weight);
    }
  }
}

TEST(ScenarioFile, ATaskWrittenInCodeIsWrittenButNotReadBack) {
  using namespace loadgate;
  task custom;
  custom.name = "custom";
  custom.request = [](task_context&) { return http_request{}; };
  const auto written = json(scenario{"c"}.task(custom));
  EXPECT_EQ(written["tasks"][0]["code"], true);
  EXPECT_THAT(error_of(written), HasSubstr("'custom' was written in code"));
}

// Every committed baseline's scenario reads back as a scenario with the fingerprint it was
// recorded with: what `loadgate baseline show --scenario` prints, `loadgate run --scenario` runs.
TEST(ScenarioFile, EveryCommittedBaselinesScenarioReadsBackWithItsFingerprint) {
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{LOADGATE_SOURCE_DIR "/baselines"}) {
    if (entry.path().extension() != ".json") continue;
    const auto b = loadgate::read_baseline(entry.path());
    auto configuration = b.configuration;
    const auto read = loadgate::scenario_from_json(configuration.at("scenario"));
    configuration["scenario"] = json(read);
    EXPECT_EQ(loadgate::fingerprint(configuration), b.fingerprint) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 9u) << "the project's nine scenarios";
}

// The scenario the Kubernetes recipe and perf-distributed.yml ship is one loadgate reads.
TEST(ScenarioFile, TheDeploymentRecipesScenarioIsValid) {
  const auto s = loadgate::load_scenario_file(LOADGATE_SOURCE_DIR "/perf/deploy/k8s/scenario.json");
  EXPECT_EQ(s.name(), "distributed_steady");
  EXPECT_TRUE(s.open_model()) << "an open model splits into shards by arrivals, whatever the service's speed";
}

TEST(ScenarioFile, CloseIdleAfterIsWrittenOnlyWhenSet) {
  // Unset, the scenario's JSON (and so every committed baseline's fingerprint) has no such key.
  const auto plain = json(loadgate::scenario{"plain"}.users(2).task(loadgate::http_task("t", "GET", "/")));
  EXPECT_FALSE(plain.at("load").contains("close_idle_after_s")) << plain.dump();
  const auto set = json(loadgate::scenario{"set"}.users(2).close_idle_after(0s).task(loadgate::http_task("t", "GET", "/")));
  EXPECT_EQ(set.at("load").at("close_idle_after_s"), 0);
  auto negative = minimal();
  negative["load"] = {{"model", "closed"}, {"close_idle_after_s", -1}};
  EXPECT_THAT(error_of(negative), HasSubstr("close_idle_after"));
}
