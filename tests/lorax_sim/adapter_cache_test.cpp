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

// vLLM's rule (LRUCacheLoRAModelManager), the simulator's in --dialect vllm.
TEST(AdapterCache, LeastRecentlyUsedOffloadsTheLeastRecentlyUsedIdleAdapter) {
  adapter_cache cache(2, eviction_rule::least_recently_used);
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
  adapter_cache cache(1, eviction_rule::least_recently_used);
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

// LoRAX's rule (router/src/queue.rs, update_adapters): idle adapters leave in the order they were
// activated, however recently they were used.
TEST(AdapterCache, LoraxOffloadsIdleAdaptersInActivationOrder) {
  adapter_cache cache(2, eviction_rule::lorax);
  const time_point t0{};
  cache.request("a");
  cache.loaded(*cache.next(t0, 2s).load, t0);
  cache.request("b");
  cache.find("a")->running = 1;  // busy while b loads, so that it is not offloaded for b
  cache.loaded(*cache.next(t0 + 1ms, 2s).load, t0 + 1ms);
  cache.find("a")->running = 0;
  cache.find("a")->last_used = t0 + 5ms;  // a was used last: LRU would offload b
  cache.request("c");
  const auto d = cache.next(t0 + 10ms, 2s);
  EXPECT_EQ(d.offloaded, std::vector<std::string>{"a"}) << "one per pending adapter, the earliest activated first";
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "c");
}

TEST(AdapterCache, LoraxOffloadsOneIdleAdapterPerPendingOneEvenWithFreeSlots) {
  adapter_cache cache(4, eviction_rule::lorax);
  const time_point t0{};
  for (auto id : {"a", "b"}) {
    cache.request(id);
    cache.find(id)->running = 1;
    cache.loaded(*cache.next(t0, 2s).load, t0);
  }
  cache.find("a")->running = 0;  // idle
  cache.request("c");
  const auto d = cache.next(t0 + 1ms, 2s);
  ASSERT_EQ(d.offloaded, std::vector<std::string>{"a"}) << "two slots are free, and LoRAX offloads it anyway";
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "c");
  EXPECT_EQ(cache.find("b")->status, adapter_status::active) << "busy: stays";
}

TEST(AdapterCache, LoraxCyclesTheEarliestActivatedOncePastItsTimeAndUnusedByTheBatch) {
  adapter_cache cache(2, eviction_rule::lorax);
  const time_point t0{};
  cache.request("a");
  cache.find("a")->running = 1;
  cache.loaded(*cache.next(t0, 2s).load, t0);
  cache.request("b");
  cache.find("b")->running = 1;
  cache.loaded(*cache.next(t0 + 1s, 2s).load, t0 + 1s);
  cache.request("c");
  EXPECT_FALSE(cache.past_its_time(*cache.find("a"), t0 + 1500ms, 2s));
  EXPECT_FALSE(cache.next(t0 + 4s, 2s).load) << "a is past its time, but a running sequence uses it";
  EXPECT_TRUE(cache.past_its_time(*cache.find("a"), t0 + 4s, 2s)) << "so its queued requests go last";
  EXPECT_EQ(cache.find("a")->status, adapter_status::active);
  cache.find("a")->running = 0;
  cache.find("a")->waiting = 2;
  const auto d = cache.next(t0 + 4s, 2s);
  EXPECT_EQ(d.offloaded, std::vector<std::string>{"a"}) << "the front only: b is past its time too";
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "c");
  EXPECT_EQ(cache.find("a")->status, adapter_status::pending) << "its waiters need it again";
  EXPECT_EQ(cache.find("b")->status, adapter_status::active);
}

TEST(AdapterCache, LeastRecentlyUsedMakesRoomInTheMemoryBudgetToo) {
  adapter_cache cache(8, eviction_rule::least_recently_used, 100);
  const time_point t0{};
  cache.request("big", 64);
  cache.loaded(*cache.next(t0, 2s).load, t0);  // idle once loaded
  cache.request("also-big", 64);
  const auto d = cache.next(t0 + 1ms, 2s);
  EXPECT_EQ(d.offloaded, std::vector<std::string>{"big"}) << "slots are free, the budget is not";
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "also-big");
}

TEST(AdapterCache, TheMemoryBudgetHoldsThePendingFrontBackUntilItFits) {
  adapter_cache cache(8, eviction_rule::lorax, 100);
  const time_point t0{};
  cache.request("big", 64);
  cache.find("big")->running = 1;
  cache.loaded(*cache.next(t0, 2s).load, t0);
  cache.request("also-big", 64);
  cache.request("small", 16);
  EXPECT_FALSE(cache.next(t0 + 1ms, 2s).load) << "64 + 64 > 100, and the front waits: nothing jumps the queue";
  EXPECT_EQ(cache.memory_in_use_mb(), 64);
  cache.find("big")->running = 0;  // idle now: offloaded for the pending ones
  const auto d = cache.next(t0 + 2ms, 2s);
  EXPECT_EQ(d.offloaded, std::vector<std::string>{"big"});
  ASSERT_TRUE(d.load);
  EXPECT_EQ(*d.load, "also-big");
}

}  // namespace lorax_sim
