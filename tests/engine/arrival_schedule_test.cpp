// The open model's arrival sequence: one global process, split between threads, reproducible.
#include <gtest/gtest.h>

#include <set>

#include "engine/arrival_schedule.hpp"

namespace loadgate::engine {
namespace {

using namespace std::chrono_literals;

scenario open_scenario() { return scenario{"open"}.rate(100).duration(1s).task(http_task("t", "GET", "/")); }

std::vector<arrival> all_of(const scenario& s, std::size_t threads, std::size_t me) {
  arrival_schedule schedule{s, clock::time_point{}, threads, me};
  std::vector<arrival> out;
  while (auto a = schedule.next_own()) out.push_back(*a);
  return out;
}

TEST(ArrivalSchedule, ConstantRateGivesRateTimesDuration) {
  const auto arrivals = all_of(open_scenario(), 1, 0);
  // Arrivals at 10 ms, 20 ms, ... up to but excluding 1 s (floating point may keep the last).
  EXPECT_GE(arrivals.size(), 99u);
  EXPECT_LE(arrivals.size(), 100u);
  EXPECT_NEAR(std::chrono::duration<double>(arrivals[0].intended.time_since_epoch()).count(), 0.010, 1e-6);
}

TEST(ArrivalSchedule, ThreadsSplitOneSequenceWithoutOverlap) {
  const auto s = open_scenario().arrivals(arrival_process::poisson());
  const auto whole = all_of(s, 1, 0);
  const auto first = all_of(s, 2, 0);
  const auto second = all_of(s, 2, 1);
  EXPECT_EQ(first.size() + second.size(), whole.size());
  std::set<std::uint64_t> seen;
  for (const auto& a : first) {
    EXPECT_EQ(a.index % 2, 0u);
    EXPECT_EQ(a.intended, whole[a.index].intended);
    seen.insert(a.index);
  }
  for (const auto& a : second) {
    EXPECT_EQ(a.index % 2, 1u);
    EXPECT_EQ(a.intended, whole[a.index].intended);
    seen.insert(a.index);
  }
  EXPECT_EQ(seen.size(), whole.size());
}

TEST(ArrivalSchedule, TheSeedDecidesThePoissonGaps) {
  const auto s = open_scenario().arrivals(arrival_process::poisson());
  const auto a = all_of(s, 1, 0);
  const auto b = all_of(s, 1, 0);
  const auto c = all_of(scenario{s}.seed(99), 1, 0);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].intended, b[i].intended);
  EXPECT_NE(a.front().intended, c.front().intended);
}

TEST(ArrivalSchedule, ARampFromZeroFollowsTheIntegralOfTheRate) {
  // 0 -> 200/s over 2 s: 200 arrivals expected, more in the second half (150) than the first (50).
  const auto s = scenario{"ramp"}.arrivals(arrival_process::constant()).stages({{200, 2s, 0s}}).task(http_task("t", "GET", "/"));
  const auto arrivals = all_of(s, 1, 0);
  EXPECT_NEAR(static_cast<double>(arrivals.size()), 200.0, 3.0);
  const auto first_half = std::count_if(arrivals.begin(), arrivals.end(),
                                        [](const arrival& a) { return a.intended.time_since_epoch() < 1s; });
  EXPECT_NEAR(static_cast<double>(first_half), 50.0, 3.0);
}

}  // namespace
}  // namespace loadgate::engine
