// Knee detection on a staged run against lorax-sim, whose saturation point is known: with
// --max-batch-size 32 and no think time, up to 32 users every request is in the batch (latency
// grows by per_sequence per user, throughput with the users); past 32 the batch is full, requests
// queue, throughput is flat and latency grows with the queue.
#include <gtest/gtest.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "loadgate/gate/knee.hpp"
#include "loadgate/llm/llm.hpp"
#include "loadgate/run.hpp"
#include "sim_process.hpp"

namespace {

using namespace std::chrono_literals;

constexpr double saturation_users = 32;
constexpr double step_users = 8;  // the stages' spacing: the tolerance is one step either way

TEST(KneeAgainstSimulator, FindsTheBatchLimitWithinOneStep) {
  // Chunked prefill: requests join the batch at every step, whatever their number, so the batch
  // limit is the one knee. LoRAX's default admission (waiting_served_ratio, prefill steps of their
  // own) is tested in tests/lorax_sim/batching_test.cpp.
  sim_test::sim_process sim{{"--time-scale", "0.1", "--max-batch-size", "32", "--max-concurrent-requests", "256",
                             "--step-per-sequence-ms", "0.1", "--chunked-prefill", "true"}};
  loadgate::load_shape stages;
  for (double users = step_users; users <= 2.5 * saturation_users; users += step_users)
    stages.push_back({.target = users, .ramp = 0s, .hold = 2s});
  const auto s = loadgate::scenario{"knee"}
                     .load(loadgate::closed_load{})
                     .stages(stages)
                     .grace(2s)
                     .task(loadgate::lorax::generate({.max_new_tokens = 16}));
  const auto r = loadgate::run(s, loadgate::target::parse("http://127.0.0.1:" + std::to_string(sim.port())));
  const auto k = loadgate::find_knees(r);
  const auto explained = nlohmann::json(k).dump(1);
  ASSERT_GE(k.levels.size(), 8u) << explained;
  ASSERT_TRUE(k.throughput.found) << explained;
  EXPECT_NEAR(k.throughput.load, saturation_users, step_users) << explained;
  ASSERT_TRUE(k.latency.found) << explained;
  EXPECT_NEAR(k.latency.load, saturation_users, step_users) << explained;
}

}  // namespace
