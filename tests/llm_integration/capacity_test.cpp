// The capacity search and its gate against lorax-sim, whose performance model predicts the
// answer (fixtures/lorax-sim/README.md, "Performance model"). The prediction is derived here from
// the model's constants, never from an earlier run.
//
// The model, for requests of N new tokens and I input tokens on the base model, arriving at a
// constant rate λ (per model millisecond): every step gives one token to each of the B sequences
// in the batch and lasts T = base + per_sequence·B + prefill_per_token·(I·λT) (the sequences that
// joined at its start pay their prefill). A request stays N steps, so B = λ·N·T (Little's law)
// and T = base / (1 − λ·(per_sequence·N + prefill_per_token·I)). It waits for the next step
// boundary first, uniformly within one step, so its p95 latency is (N + 0.95)·T. The highest
// rate whose p95 stays under L is then
//     λ* = (1 − base·(N + 0.95)/L) / (per_sequence·N + prefill_per_token·I),
// in wall time λ*/time_scale (times scale by time_scale, rates by its inverse).
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate_command.hpp"
#include "loadgate/gated_capacity.hpp"
#include "loadgate/llm/llm.hpp"
#include "loadgate/scenario_file.hpp"
#include "sim_process.hpp"
#include "test_client.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

// lorax-sim's defaults (its --help), which these tests do not override. The prediction is for
// chunked prefill (requests join the batch at every step); the simulator's default is LoRAX's
// own admission, tested in tests/lorax_sim/batching_test.cpp.
constexpr double step_base_ms = 20, step_per_sequence_ms = 0.5, prefill_per_token_ms = 0.05;
constexpr int new_tokens = 16, input_tokens = 8;

double predicted_capacity(double p95_limit_model_ms, double time_scale, double slowdown = 1) {
  const double per_request = slowdown * (step_per_sequence_ms * new_tokens + prefill_per_token_ms * input_tokens);
  const double per_model_ms = (1 - slowdown * step_base_ms * (new_tokens + 0.95) / p95_limit_model_ms) / per_request;
  return per_model_ms * 1000 / time_scale;
}

json scenario_json(double rate, double duration_s) {
  return {{"name", "capacity"},
          {"load", {{"model", "open"}, {"rate", rate}, {"arrivals", {{"type", "constant"}}}}},
          {"duration_s", duration_s},
          {"grace_s", 2},
          {"tasks", {{{"type", "lorax.generate"}, {"name", "generate"}, {"max_new_tokens", new_tokens},
                      {"prompts", {{"type", "synthetic"}, {"input", {{"type", "uniform"}, {"min", input_tokens},
                                                                      {"max", input_tokens}}}}}}}}};
}

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("loadgate-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// `loadgate capacity` against the simulator lands near the model's prediction, in at most 10
// points of at most 2 runs of 8 s (about 2.5 minutes at worst; about 1 minute usually). The
// model predicts the server's time only: the client shares this machine's two cores with the
// simulator, and on a loaded machine the found capacity has come out up to 15 % low, so the
// bound is 20 %. The search's own precision is shown exactly by CapacitySearch.* (a modelled
// service, no clocks).
TEST(Capacity, CommandLandsNearTheSimulatorsModel) {
  constexpr double time_scale = 0.25, limit_model_ms = 600;
  const double predicted = predicted_capacity(limit_model_ms, time_scale);  // 207 req/s
  sim_test::sim_process sim{{"--time-scale", "0.25", "--chunked-prefill", "true"}};
  const auto dir = fresh_dir("capacity-command");
  std::ofstream{dir / "scenario.json"} << scenario_json(100, 6).dump();
  const auto limit_wall_ms = std::to_string(static_cast<int>(limit_model_ms * time_scale));
  const auto started = std::chrono::steady_clock::now();
  const auto ran = loadgate::test_support::run_loadgate(
      "capacity http://127.0.0.1:" + std::to_string(sim.port()) + " --scenario " + (dir / "scenario.json").string() +
      " --slo 'p95<" + limit_wall_ms + "ms' --max-failure 1% --max-points 10" + " --max-runs 2 --quiet --out " +
      (dir / "out").string());
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(ran.exit_code, 0) << ran.output;

  fs::path capacity_file;
  for (const auto& entry : fs::recursive_directory_iterator{dir / "out"})
    if (entry.path().filename() == "capacity.json") capacity_file = entry.path();
  ASSERT_FALSE(capacity_file.empty()) << ran.output;
  const auto found = json::parse(std::ifstream{capacity_file}).at("capacity").get<loadgate::capacity_estimate>();
  ASSERT_TRUE(found.found) << ran.output;
  EXPECT_NEAR(found.value, predicted, 0.20 * predicted) << ran.output;
  EXPECT_LE(found.points.size(), 10u);
  EXPECT_LE((found.high - found.low) / found.low, 0.05 + 1e-9) << "the bracket is as narrow as asked";
  EXPECT_LT(took, 180s);
  // The evidence table: every point with its load, runs and the SLO's interval.
  std::ifstream markdown{capacity_file.parent_path() / "capacity.md"};
  const std::string md{std::istreambuf_iterator<char>{markdown}, {}};
  EXPECT_NE(md.find("p95 latency &lt; " + limit_wall_ms + ".0 ms"), std::string::npos) << md;  // escaped for GitHub
  // Doubling went past the knee: a point above the capacity found was tried and not met. (Whether
  // it was missed on latency or overloaded with 429s depends on this machine's speed that minute;
  // asserting "overload" failed a serial CI run where 200 req/s was missed on p95 alone.)
  EXPECT_TRUE(std::any_of(found.points.begin(), found.points.end(),
                          [&](const auto& p) { return p.load >= found.high && !p.met(); }))
      << "doubling went past the knee: " << md;
  for (const auto& p : found.points) EXPECT_TRUE(fs::exists(capacity_file.parent_path() / p.folder / "report.html"));
  fs::remove_all(dir);
}

// The capacity gate: a baseline recorded at slowdown 1.0, then the same search at 1.0 passes and
// at 1.2 (the model predicts −38 % capacity) fails as a regression.
TEST(CapacityGate, FailsOnASimulatorSlowedBy20PercentAndPassesAtOne) {
  constexpr double time_scale = 0.1, limit_model_ms = 600;
  sim_test::sim_process sim{{"--time-scale", "0.1", "--chunked-prefill", "true"}};
  const auto dir = fresh_dir("capacity-gate");
  const auto s = loadgate::scenario_from_json(scenario_json(400, 4));
  const std::vector<loadgate::slo> slos{loadgate::p95() < std::chrono::milliseconds{60}};
  loadgate::gated_capacity_options options;
  options.search.max_points = 8;
  options.search.max_runs_per_point = 2;
  loadgate::baseline_environment env;
  env.root = dir / "baselines";
  const loadgate::target t = loadgate::target::parse("http://127.0.0.1:" + std::to_string(sim.port()));

  const auto recorded = loadgate::gated_capacity(s, slos, t, "Capacity", "Generate", options, env);
  ASSERT_EQ(recorded.action, loadgate::baseline_action::create) << recorded.message;
  ASSERT_TRUE(recorded.passed()) << recorded.message;
  // At 500 req/s the client takes much of the two cores the simulator runs on: how near the model
  // the capacity lands is Capacity.CommandLandsNearTheSimulatorsModel's question, at a lighter
  // load. Here the search only has to find the knee's neighbourhood (a search that misfired would
  // stop at the start or run past it); the gate's verdicts compare searches on the same machine.
  const double predicted = predicted_capacity(limit_model_ms, time_scale);
  EXPECT_GT(recorded.found->value, 0.5 * predicted) << recorded.message;
  EXPECT_LT(recorded.found->value, 1.5 * predicted) << recorded.message;
  const auto stored = loadgate::read_baseline(recorded.baseline_file);
  ASSERT_TRUE(stored.capacity.has_value());
  EXPECT_EQ(stored.capacity->value, recorded.found->value);
  EXPECT_FALSE(stored.runs.empty()) << "the runs at the capacity are the baseline's runs";

  const auto same = loadgate::gated_capacity(s, slos, t, "Capacity", "Generate", options, env);
  ASSERT_EQ(same.action, loadgate::baseline_action::compare) << same.message;
  EXPECT_TRUE(same.passed()) << same.message;

  ASSERT_EQ(sim_test::post(sim.port(), "/admin/faults", R"({"slowdown": 1.2})").status, 200);
  const auto slowed = loadgate::gated_capacity(s, slos, t, "Capacity", "Generate", options, env);
  ASSERT_TRUE(slowed.comparison.has_value()) << slowed.message;
  EXPECT_EQ(slowed.comparison->verdict, loadgate::verdict::regression) << slowed.message;
  EXPECT_FALSE(slowed.passed());
  EXPECT_NE(slowed.message.find("→ regression"), std::string::npos) << slowed.message;
  // The brackets are half-open: a range ending at 0 (the slowed search missed a load the baseline
  // met, both decided outright) already proves the fall.
  EXPECT_LE(slowed.comparison->high, 0) << slowed.message;
  fs::remove_all(dir);
}

}  // namespace
