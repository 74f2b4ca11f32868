#include "loadgate/stage.hpp"

#include <gtest/gtest.h>

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

double at(const load_shape& shape, nanoseconds elapsed, double initial = 0) {
  const auto t = target_at(shape, elapsed, initial);
  EXPECT_TRUE(t.has_value()) << "over at " << elapsed.count() << " ns";
  return t.value_or(-1);
}

TEST(Stage, RampIsLinearFromTheInitialTargetThenHolds) {
  const load_shape ramp{{.target = 100, .ramp = 10s, .hold = 20s}};
  EXPECT_EQ(total_duration(ramp), 30s);
  EXPECT_DOUBLE_EQ(at(ramp, 0s), 0);
  EXPECT_DOUBLE_EQ(at(ramp, 2500ms), 25);
  EXPECT_DOUBLE_EQ(at(ramp, 5s), 50);
  EXPECT_DOUBLE_EQ(at(ramp, 10s), 100);
  EXPECT_DOUBLE_EQ(at(ramp, 30s - 1ns), 100);
  EXPECT_EQ(target_at(ramp, 30s), std::nullopt);
  EXPECT_DOUBLE_EQ(at(ramp, 5s, 20), 60);  // from `initial`
  EXPECT_DOUBLE_EQ(at(ramp, -1s), 0);      // before the start: the start
}

TEST(Stage, StepsWithoutRampJumpAtTheBoundary) {
  // A ramp to find knees: +10 users every minute.
  const load_shape steps{{10, 0s, 60s}, {20, 0s, 60s}, {30, 0s, 60s}};
  EXPECT_EQ(total_duration(steps), 180s);
  EXPECT_DOUBLE_EQ(at(steps, 0s), 10);
  EXPECT_DOUBLE_EQ(at(steps, 60s - 1ns), 10);
  EXPECT_DOUBLE_EQ(at(steps, 60s), 20);
  EXPECT_DOUBLE_EQ(at(steps, 150s), 30);
  EXPECT_EQ(target_at(steps, 180s), std::nullopt);
}

TEST(Stage, SpikeRampsUpAndBackDown) {
  const load_shape spike{{10, 0s, 60s}, {500, 5s, 30s}, {10, 5s, 60s}};
  EXPECT_EQ(total_duration(spike), 160s);
  EXPECT_DOUBLE_EQ(at(spike, 30s), 10);
  EXPECT_DOUBLE_EQ(at(spike, 62500ms), 255);  // half-way up: 10 + 490 / 2
  EXPECT_DOUBLE_EQ(at(spike, 65s), 500);
  EXPECT_DOUBLE_EQ(at(spike, 97500ms), 255);  // half-way down from 500
  EXPECT_DOUBLE_EQ(at(spike, 100s), 10);
  EXPECT_DOUBLE_EQ(at(spike, 159s), 10);
  EXPECT_EQ(target_at(spike, 160s), std::nullopt);
}

TEST(Stage, SoakHoldsForHours) {
  const load_shape soak{{200, 60s, 4h}};
  EXPECT_EQ(total_duration(soak), 4h + 60s);
  EXPECT_DOUBLE_EQ(at(soak, 15s), 50);
  EXPECT_DOUBLE_EQ(at(soak, 2h), 200);
  EXPECT_DOUBLE_EQ(at(soak, 4h + 60s - 1ns), 200);
  EXPECT_EQ(target_at(soak, 4h + 60s), std::nullopt);
}

TEST(Stage, EmptyShapeIsOverAtOnce) {
  EXPECT_EQ(total_duration({}), 0s);
  EXPECT_EQ(target_at({}, 0s), std::nullopt);
}

TEST(Stage, ZeroLengthStagesAreSkipped) {
  const load_shape shape{{50, 0s, 0s}, {100, 10s, 10s}};
  EXPECT_DOUBLE_EQ(at(shape, 0s), 50);  // the second ramp starts from the skipped stage's target
  EXPECT_DOUBLE_EQ(at(shape, 5s), 75);
}

}  // namespace
}  // namespace loadgate
