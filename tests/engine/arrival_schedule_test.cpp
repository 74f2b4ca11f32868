// The open model's arrival sequence: one global process, split between threads, reproducible.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "engine/arrival_schedule.hpp"

namespace loadgate::engine {
namespace {

using namespace std::chrono_literals;

scenario open_scenario() { return scenario{"open"}.rate(100).duration(1s).task(http_task("t", "GET", "/")); }

std::vector<arrival> all_of(const scenario& s, std::size_t threads, std::size_t me, shard part = {}) {
  arrival_schedule schedule{s, clock::time_point{}, partition{part, me, threads}};
  std::vector<arrival> out;
  while (auto a = schedule.next_own()) out.push_back(*a);
  return out;
}

TEST(ArrivalSchedule, ConstantRateGivesRateTimesDuration) {
  const auto arrivals = all_of(open_scenario(), 1, 0);
  // Arrivals at 0, 10 ms, 20 ms, ... 990 ms: exactly 100 in [0, 1 s).
  ASSERT_EQ(arrivals.size(), 100u);
  EXPECT_EQ(arrivals[0].intended.time_since_epoch(), 0ns);
  EXPECT_NEAR(std::chrono::duration<double>(arrivals[99].intended.time_since_epoch()).count(), 0.990, 1e-6);
  // Rates whose gaps do not add up exactly in floating point (0.1 × 20 is 2.0000000000000004):
  // still rate × duration.
  for (const double rate : {10.0, 30.0, 40.0, 333.0})
    EXPECT_EQ(all_of(open_scenario().rate(rate).duration(2s), 1, 0).size(), static_cast<std::size_t>(rate * 2)) << rate;
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
  // The first arrival is at 0 whatever the seed; the gaps after it are the seed's.
  ASSERT_GT(c.size(), 1u);
  EXPECT_EQ(a.front().intended, c.front().intended);
  EXPECT_NE(a[1].intended, c[1].intended);
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

// The acceptance of sharding: for N = 1..7 shards (each with its own thread count), the union of
// every shard's arrivals is the unsharded schedule, time for time, nothing twice, nothing lost.
void expect_shards_replay(const scenario& s) {
  const auto whole = all_of(s, 1, 0);
  ASSERT_GT(whole.size(), 50u);  // enough arrivals to mean something (about 100 expected)
  for (std::size_t n = 1; n <= 7; ++n) {
    std::vector<arrival> joined;
    for (std::size_t i = 1; i <= n; ++i) {
      const std::size_t threads = 1 + i % 3;  // shards need not agree on their thread count
      for (std::size_t t = 0; t < threads; ++t) {
        const auto own = all_of(s, threads, t, {i, n});
        joined.insert(joined.end(), own.begin(), own.end());
      }
    }
    std::sort(joined.begin(), joined.end(), [](const arrival& a, const arrival& b) { return a.index < b.index; });
    ASSERT_EQ(joined.size(), whole.size()) << n << " shards";
    for (std::size_t k = 0; k < whole.size(); ++k) {
      ASSERT_EQ(joined[k].index, whole[k].index) << n << " shards";
      ASSERT_EQ(joined[k].intended, whole[k].intended) << n << " shards, arrival " << k;
    }
  }
}

TEST(ArrivalSchedule, ShardsTogetherReplayTheConstantSchedule) { expect_shards_replay(scenario{open_scenario()}.rate(137)); }

TEST(ArrivalSchedule, ShardsTogetherReplayThePoissonSchedule) {
  expect_shards_replay(open_scenario().arrivals(arrival_process::poisson()).seed(7));
}

TEST(ArrivalSchedule, ShardsTogetherReplayARampedSchedule) {
  expect_shards_replay(scenario{"ramp"}.arrivals(arrival_process::constant()).stages({{200, 1s, 1s}}).task(http_task("t", "GET", "/")));
}

TEST(Partition, EveryIndexHasExactlyOneOwnerAcrossShardsAndThreads) {
  for (std::size_t n = 1; n <= 7; ++n) {
    for (std::size_t total : {0u, 1u, 5u, 6u, 7u, 50u, 101u}) {
      std::vector<int> owners(total, 0);
      std::size_t shares = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        const std::size_t threads = 1 + (i + n) % 4;
        std::size_t shard_users = 0;
        for (std::size_t t = 0; t < threads; ++t) {
          const partition p{{i, n}, t, threads};
          for (std::size_t u = 0; u < total; ++u) owners[u] += p.owns(u) ? 1 : 0;
          // nth() walks exactly the indices owns() accepts, in order.
          for (std::size_t j = 0; j < p.share(total); ++j) EXPECT_TRUE(p.owns(p.nth(j)));
          EXPECT_GE(p.nth(p.share(total)), total) << "the next one it owns is beyond the total";
          shard_users += p.share(total);
        }
        EXPECT_EQ(shard_users, share_of(total, {i, n})) << "threads split the shard's own users";
        shares += share_of(total, {i, n});
      }
      EXPECT_EQ(shares, total) << n << " shards of " << total << " users";
      for (std::size_t u = 0; u < total; ++u) EXPECT_EQ(owners[u], 1) << "index " << u << " with " << n << " shards";
    }
  }
}

TEST(Partition, RemaindersGoToTheFirstShards) {
  // 10 users over 3 shards: 4, 3, 3; never 3, 3, 3 and one lost.
  EXPECT_EQ(share_of(10, {1, 3}), 4u);
  EXPECT_EQ(share_of(10, {2, 3}), 3u);
  EXPECT_EQ(share_of(10, {3, 3}), 3u);
  EXPECT_EQ(share_of(2, {3, 3}), 0u) << "a shard can be left without users; it must not invent one";
}

}  // namespace
}  // namespace loadgate::engine
