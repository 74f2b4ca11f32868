#include "loadgate/think_time.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "draw_statistics.hpp"
#include "loadgate/error.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

TEST(ThinkTime, NoneWaitsNothing) {
  loadgate::random_engine rng{1};
  EXPECT_EQ(think_time{}.next(3s, rng), 0ns);
  EXPECT_EQ(think_time{}.type(), think_time::kind::none);
}

TEST(ThinkTime, ConstantIgnoresTaskTime) {
  loadgate::random_engine rng{1};
  const auto t = constant(250ms);
  EXPECT_EQ(t.next(0ns, rng), 250ms);
  EXPECT_EQ(t.next(10s, rng), 250ms);
}

TEST(ThinkTime, BetweenIsUniformOverTheInterval) {
  const auto t = between(500ms, 1500ms);
  loadgate::random_engine rng{7};
  nanoseconds lowest = 2s, highest = 0s;
  const auto m = test::draw_moments(200'000, [&] {
    const auto d = t.next(100ms, rng);
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
    return static_cast<double>(d.count());
  });
  EXPECT_GE(lowest, 500ms);
  EXPECT_LE(highest, 1500ms);
  EXPECT_LT(lowest, 501ms);   // the whole interval is reached
  EXPECT_GT(highest, 1499ms);
  EXPECT_NEAR(m.mean, 1e9, 0.005 * 1e9);                        // (a + b) / 2
  EXPECT_NEAR(m.variance, 1e18 / 12, 0.02 * 1e18 / 12);         // (b - a)² / 12
}

TEST(ThinkTime, BetweenOfAnEmptyIntervalIsConstant) {
  loadgate::random_engine rng{3};
  EXPECT_EQ(between(2s, 2s).next(0ns, rng), 2s);
}

TEST(ThinkTime, ConstantPacingSubtractsTaskTimeAndNeverGoesNegative) {
  loadgate::random_engine rng{1};
  const auto t = constant_pacing(1s);
  EXPECT_EQ(t.next(300ms, rng), 700ms);
  EXPECT_EQ(t.next(0ns, rng), 1s);
  EXPECT_EQ(t.next(1s, rng), 0ns);
  EXPECT_EQ(t.next(1200ms, rng), 0ns);
}

TEST(ThinkTime, ConstantThroughputIsPacingOfOneOverN) {
  EXPECT_EQ(constant_throughput(4), constant_pacing(250ms));
  EXPECT_EQ(constant_throughput(0.5), constant_pacing(2s));
  EXPECT_EQ(constant_throughput(3).low(), 333'333'333ns);
}

TEST(ThinkTime, SameSeedGivesTheSameSequence) {
  const auto t = between(0ms, 1000ms);
  const auto draw = [&](std::uint64_t seed) {
    loadgate::random_engine rng{seed};
    std::vector<nanoseconds> v;
    for (int i = 0; i < 100; ++i) v.push_back(t.next(0ns, rng));
    return v;
  };
  EXPECT_EQ(draw(11), draw(11));
  EXPECT_NE(draw(11), draw(12));
}

TEST(ThinkTime, InvalidArgumentsAreConfigurationErrors) {
  EXPECT_THROW(constant(-1ms), configuration_error);
  EXPECT_THROW(between(-1ms, 1s), configuration_error);
  EXPECT_THROW(between(2s, 1s), configuration_error);
  EXPECT_THROW(constant_pacing(-1s), configuration_error);
  EXPECT_THROW(constant_throughput(0), configuration_error);
  EXPECT_THROW(constant_throughput(-3), configuration_error);
}

}  // namespace
}  // namespace loadgate
