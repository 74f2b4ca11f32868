#include "loadgate/llm/adapter_stats.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;

adapter_request request(std::chrono::nanoseconds started, std::chrono::nanoseconds latency, bool server_cold = false) {
  return adapter_request{.started = started, .failed = false, .latency = latency, .ttft = latency / 2, .server_cold = server_cold};
}

TEST(ColdTracker, FirstSightIsTheEarliestStartNotTheFirstCompletion) {
  cold_tracker t;
  EXPECT_FALSE(t.offer("a", request(20ms, 5ms)));  // completes first, started second
  const auto displaced = t.offer("a", request(10ms, 900ms));
  ASSERT_TRUE(displaced);
  EXPECT_EQ(displaced->started, 20ms);
  EXPECT_EQ(t.offer("a", request(30ms, 5ms))->started, 30ms);  // a later one is simply not first
  EXPECT_EQ(t.first_sights().at("a").started, 10ms);
}

TEST(ColdTracker, MergeKeepsOneFirstSightPerAdapterAcrossThreads) {
  // Two threads both saw "a" and "b" first: per-thread first sight would make four colds.
  cold_tracker one, two;
  one.offer("a", request(5ms, 1ms));
  one.offer("b", request(9ms, 1ms));
  two.offer("a", request(7ms, 1ms));
  two.offer("b", request(3ms, 1ms));
  std::vector<std::string> displaced;
  one.merge(two, [&](const std::string& adapter, const adapter_request&) { displaced.push_back(adapter); });
  EXPECT_EQ(one.first_sights().size(), 2u);
  EXPECT_EQ(one.first_sights().at("a").started, 5ms);
  EXPECT_EQ(one.first_sights().at("b").started, 3ms);
  EXPECT_EQ(displaced, (std::vector<std::string>{"a", "b"}));
}

TEST(AdapterStats, OneColdPerAdapterWhateverTheThreadsAndMergeOrder) {
  adapter_stats t1, t2, t3;
  for (int i = 0; i < 10; ++i) {
    t1.record("a", request(std::chrono::milliseconds{3 * i + 1}, 10ms));
    t2.record("a", request(std::chrono::milliseconds{3 * i + 2}, 10ms));
    t3.record("a", request(std::chrono::milliseconds{3 * i}, 800ms));  // holds the earliest start, at 0 ms
  }
  t2.record("b", request(50ms, 20ms));

  auto left = t1;
  left.merge(t2);
  left.merge(t3);
  auto right = t3;
  right.merge(t2);
  right.merge(t1);
  EXPECT_EQ(left.by_adapter(), right.by_adapter());

  const auto a = left.of("a");
  EXPECT_EQ(a.cold.requests, 1u);
  EXPECT_EQ(a.cold.latency.max(), 800'000);  // the request that started first
  EXPECT_EQ(a.warm.requests, 29u);
  EXPECT_EQ(a.all().requests, 30u);
  EXPECT_EQ(left.of("b").cold.requests, 1u);
  EXPECT_EQ(left.of("b").warm.requests, 0u);
}

TEST(AdapterStats, ServerSignalledLoadsAreColdToo) {
  adapter_stats s;
  s.record("a", request(1ms, 10ms));
  s.record("a", request(2ms, 700ms, /*server_cold=*/true));  // evicted and reloaded
  s.record("a", request(3ms, 10ms));
  const auto a = s.of("a");
  EXPECT_EQ(a.cold.requests, 2u);
  EXPECT_EQ(a.warm.requests, 1u);
}

TEST(AdapterStats, FailuresAreCountedNotTimed) {
  adapter_stats s;
  auto failed = request(1ms, 2ms);
  failed.failed = true;  // e.g. a 424: the adapter failed to load
  s.record("a", failed);
  s.record("a", request(2ms, 10ms));
  const auto a = s.of("a");
  EXPECT_EQ(a.cold.failures, 1u);  // the failed first request was still the one that tried the load
  EXPECT_TRUE(a.cold.latency.empty());
  EXPECT_EQ(a.all().requests, 2u);
  EXPECT_EQ(a.all().failures, 1u);
}

TEST(AdapterStats, RecordsObservationsRelativeToTheRunStart) {
  const auto run_start = clock::time_point{} + 1h;
  llm_observation o;
  o.t0 = run_start + 5ms;
  o.e2e = 40ms;
  o.ttft = 7ms;
  o.adapter = "org/x";
  o.server.adapter_load_ms = 35;
  adapter_stats s;
  s.record(o, run_start);
  o.server.adapter_load_ms.reset();
  o.adapter = "";  // the base model
  s.record(o, run_start);
  const auto by = s.by_adapter();
  ASSERT_EQ(by.size(), 2u);
  EXPECT_EQ(by.at("org/x").cold.ttft.max(), 7'000);
  EXPECT_EQ(by.at("").cold.requests, 1u);
}

TEST(AdapterStats, JsonRoundTripKeepsMergesExact) {
  adapter_stats one, two;
  one.record("a", request(5ms, 1ms));
  one.record("a", request(6ms, 2ms, true));
  two.record("a", request(4ms, 3ms));
  two.record("b", request(8ms, 4ms));
  auto merged = one;
  merged.merge(two);

  auto via_json = nlohmann::json(one).get<adapter_stats>();
  EXPECT_EQ(via_json, one);
  via_json.merge(nlohmann::json(two).get<adapter_stats>());
  EXPECT_EQ(via_json, merged);
  EXPECT_EQ(via_json.of("a").cold.requests, 2u);  // the 4 ms first sight and the server-signalled load
  EXPECT_EQ(via_json.of("a").warm.requests, 1u);
}

}  // namespace
}  // namespace loadgate::llm
