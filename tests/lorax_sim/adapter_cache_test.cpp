#include "adapter_cache.hpp"

#include <gtest/gtest.h>

namespace lorax_sim {

using namespace std::chrono_literals;
using time_point = std::chrono::steady_clock::time_point;

TEST(AdapterCache, LoadsFifoIntoFreeSlots) {
  adapter_cache cache(2);
  cache.request("a");
  cache.request("b");
  const time_point t0{};
  auto d = cache.next(t0, 2s);
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "a");
  cache.loaded("a", t0);
  d = cache.next(t0, 2s);
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "b");
  EXPECT_FALSE(cache.next(t0, 2s).load);
}

TEST(AdapterCache, OffloadsTheLeastRecentlyUsedIdleAdapter) {
  adapter_cache cache(2);
  const time_point t0{};
  for (auto id : {"a", "b"}) {
    cache.request(id);
    cache.loaded(*cache.next(t0, 2s).load, t0);
  }
  cache.find("a")->last_used = t0 + 5ms;  // b is now the least recently used
  cache.request("c");
  auto d = cache.next(t0 + 10ms, 2s);
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "c");
  ASSERT_EQ(d.offloaded.size(), 1u);
  EXPECT_EQ(d.offloaded[0], "b");
  EXPECT_EQ(cache.find("b"), nullptr);
}

TEST(AdapterCache, BusyAdaptersAreDrainedOnlyAfterTheCycleTime) {
  adapter_cache cache(1);
  const time_point t0{};
  cache.request("a");
  cache.loaded(*cache.next(t0, 2s).load, t0);
  cache.find("a")->running = 1;
  cache.request("b");
  EXPECT_FALSE(cache.next(t0 + 1s, 2s).load);
  EXPECT_EQ(cache.find("a")->status, adapter_status::active);
  EXPECT_FALSE(cache.next(t0 + 3s, 2s).load);
  EXPECT_EQ(cache.find("a")->status, adapter_status::draining);
  EXPECT_TRUE(cache.offload_drained().empty());  // still running
  cache.find("a")->running = 0;
  cache.find("a")->waiting = 2;
  EXPECT_EQ(cache.offload_drained().size(), 1u);
  EXPECT_EQ(cache.find("a")->status, adapter_status::pending);  // its waiters need it again
  auto d = cache.next(t0 + 3s, 2s);
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "b");
}

}  // namespace lorax_sim
