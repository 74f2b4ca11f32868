#include <gtest/gtest.h>

#include "engine/load_targets.hpp"
#include "engine/task_table.hpp"

namespace loadgate::engine {
namespace {

using namespace std::chrono_literals;

scenario closed() { return scenario{"c"}.users(10).duration(10s).task(http_task("t", "GET", "/")); }

TEST(TargetUsers, AllAtOnceWithoutSpawnRate) { EXPECT_EQ(target_users(closed(), 0s), 10u); }

TEST(TargetUsers, SpawnRateStartsUserUAtUOverRate) {
  const auto s = closed().spawn_rate(4);
  EXPECT_EQ(target_users(s, 0s), 1u);
  EXPECT_EQ(target_users(s, 249ms), 1u);
  EXPECT_EQ(target_users(s, 250ms), 2u);
  EXPECT_EQ(target_users(s, 2s), 9u);
  EXPECT_EQ(target_users(s, 5s), 10u);
}

TEST(TargetUsers, StagesRampAndEnd) {
  const auto s = closed().stages({{20, 2s, 1s}, {0, 1s, 0s}});
  EXPECT_EQ(target_users(s, 0s), 0u);
  EXPECT_EQ(target_users(s, 1s), 10u);
  EXPECT_EQ(target_users(s, 2500ms), 20u);
  EXPECT_EQ(target_users(s, 4s), std::nullopt);
  EXPECT_EQ(peak_demand(s), 20u);
}

TEST(PeakDemand, OpenModelNeedsMaxInFlight) {
  EXPECT_EQ(peak_demand(scenario{"o"}.rate(50).max_in_flight(33).task(http_task("t", "GET", "/"))), 33u);
}

// The start skips the open-file check only when every think closes the connection first.
TEST(ConnectionsOnlyDuringTasks, WhenEveryThinkIsAtLeastCloseIdleAfter) {
  const auto t = http_task("t", "GET", "/");
  EXPECT_TRUE(connections_only_during_tasks(scenario{"c"}.think_time(constant(2s)).close_idle_after(1s).task(t)));
  EXPECT_TRUE(connections_only_during_tasks(scenario{"b"}.think_time(between(1s, 3s)).close_idle_after(1s).task(t)));
  EXPECT_FALSE(connections_only_during_tasks(scenario{"short"}.think_time(between(500ms, 3s)).close_idle_after(1s).task(t)));
  EXPECT_FALSE(connections_only_during_tasks(scenario{"none"}.users(9).close_idle_after(0s).task(t)))
      << "no think: every user is always in a task, holding a connection";
  EXPECT_FALSE(connections_only_during_tasks(scenario{"pacing"}.think_time(constant_pacing(5s)).close_idle_after(1s).task(t)))
      << "pacing thinks 0 after a slow task";
  EXPECT_FALSE(connections_only_during_tasks(scenario{"unset"}.think_time(constant(2s)).task(t)));
}

TEST(TaskTable, PicksByWeight) {
  const auto s = closed().task(3, http_task("heavy", "GET", "/h"));  // weights 1 and 3
  const task_table table{s.tasks()};
  loadgate::random_engine rng{7};
  std::size_t heavy = 0;
  constexpr std::size_t draws = 40'000;
  for (std::size_t i = 0; i < draws; ++i) heavy += table.pick(rng) == 1;
  EXPECT_NEAR(static_cast<double>(heavy) / draws, 0.75, 0.01);
}

}  // namespace
}  // namespace loadgate::engine
