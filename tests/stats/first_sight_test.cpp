// Cold and warm adapter use (what llm::adapter_stats and cold_tracker did before): the first
// request to each adapter is held apart as its first sight until merges settle which request
// really was the earliest; every query counts it as cold. Requests the server says loaded their
// adapter are cold too.
#include <algorithm>
#include <array>
#include <set>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/result.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// An LLM request to `adapter` as llm_reader::observe hands it over.
observation request(const std::string& adapter, std::chrono::nanoseconds latency, bool loaded = false) {
  observation o;
  o.llm = true;
  o.adapter = adapter;
  o.adapter_loaded = loaded;
  o.latency = latency;
  o.latency_uncorrected = latency;
  o.e2e = latency;
  o.ttft = latency / 2;
  return o;
}

observation failed_request(const std::string& adapter, failure_kind kind = failure_kind::http_4xx) {
  auto o = request(adapter, 2ms);
  o.failure = kind;
  o.cause = "HTTP 424: adapter failed to load";
  return o;
}

// A result as one worker thread (or one shard) leaves it.
result thread_result() {
  result r;
  r.info.scenario = "adapters";
  r.info.threads = 1;
  return r;
}

std::size_t window_of(std::chrono::nanoseconds since_start) { return time_series::index_of(since_start); }

void file(result& r, const observation& o, std::chrono::nanoseconds since_start, std::string name = "generate") {
  r.file(name, o, since_start, window_of(since_start + o.latency));
}

std::uint64_t cold(const result& r, const std::string& adapter) {
  return r.total({.adapter = adapter, .use = adapter_use::cold}).count();
}
std::uint64_t warm(const result& r, const std::string& adapter) {
  return r.total({.adapter = adapter, .use = adapter_use::warm}).count();
}

TEST(FirstSight, IsTheEarliestStartNotTheFirstCompletion) {
  auto r = thread_result();
  file(r, request("a", 5ms), 20ms);    // completes first, started second
  file(r, request("a", 900ms), 10ms);  // started first
  file(r, request("a", 5ms), 30ms);    // a later one is simply not first
  ASSERT_EQ(r.first_sights.size(), 1u);
  EXPECT_EQ(r.first_sights.at("a").started, 10ms);
  EXPECT_EQ(r.first_sights.at("a").key, (tally_key{"generate", "a", adapter_use::warm})) << "its own use, until settled";
  EXPECT_EQ(cold(r, "a"), 1u);
  EXPECT_EQ(r.total({.adapter = "a", .use = adapter_use::cold}).latency().max(), 900'000);
  EXPECT_EQ(warm(r, "a"), 2u);
  EXPECT_EQ(r.total().count(), 3u);
}

TEST(FirstSight, EveryQueryCountsItAsCold) {
  auto r = thread_result();
  file(r, request("org/a", 40ms), 1500ms);
  EXPECT_TRUE(r.tallies.empty()) << "held apart until merges settle it";
  EXPECT_EQ(r.total().count(), 1u);
  EXPECT_EQ(r.total({.request = "generate"}).count(), 1u);
  EXPECT_EQ(cold(r, "org/a"), 1u);
  EXPECT_EQ(warm(r, "org/a"), 0u);
  EXPECT_EQ(r.request_names(), (std::set<std::string>{"generate"}));
  EXPECT_EQ(r.adapters(), (std::set<std::string>{"org/a"}));
  const auto settled = r.settled();
  ASSERT_EQ(settled.size(), 1u);
  EXPECT_EQ(settled.begin()->first, (tally_key{"generate", "org/a", adapter_use::cold}));
  EXPECT_EQ(settled.begin()->second.count(), 1u);
  const auto windows = r.per_window({.use = adapter_use::cold});
  ASSERT_EQ(windows.size(), 2u) << "windows 0 and 1: it completed at 1.54 s";
  EXPECT_EQ(windows[0].count(), 0u);
  EXPECT_EQ(windows[1].count(), 1u);
  EXPECT_EQ(r.per_window({.use = adapter_use::warm})[1].count(), 0u);
}

TEST(FirstSight, OneColdPerAdapterWhateverTheThreadsAndMergeOrder) {
  std::array<result, 3> threads{thread_result(), thread_result(), thread_result()};
  for (int i = 0; i < 10; ++i) {
    file(threads[0], request("a", 10ms), std::chrono::milliseconds{300 * i + 100});
    file(threads[1], request("a", 10ms), std::chrono::milliseconds{300 * i + 200});
    file(threads[2], request("a", 800ms), std::chrono::milliseconds{300 * i});  // holds the earliest start, at 0 ms
  }
  file(threads[1], request("b", 20ms), 50ms);

  std::vector<result> merged;
  std::array<int, 3> order{0, 1, 2};
  do {
    result r;
    for (const int t : order) r.merge(threads[static_cast<std::size_t>(t)]);
    merged.push_back(std::move(r));
  } while (std::next_permutation(order.begin(), order.end()));
  for (const auto& r : merged) {
    EXPECT_EQ(r.settled(), merged.front().settled());
    EXPECT_EQ(r.per_window(), merged.front().per_window());
    EXPECT_EQ(r, merged.front()) << "the same result, first sights included, whatever the order";
  }

  const auto& r = merged.front();
  EXPECT_EQ(r.info.threads, 3u);
  EXPECT_EQ(cold(r, "a"), 1u);
  EXPECT_EQ(r.total({.adapter = "a", .use = adapter_use::cold}).latency().max(), 800'000) << "the request that started first";
  EXPECT_EQ(r.first_sights.at("a").started, 0ms);
  EXPECT_EQ(warm(r, "a"), 29u);
  EXPECT_EQ(r.total({.adapter = "a"}).count(), 30u);
  EXPECT_EQ(cold(r, "b"), 1u);
  EXPECT_EQ(warm(r, "b"), 0u);
  // Windows add up to the whole run, first sights included.
  tally windows;
  for (const auto& w : r.per_window()) windows.merge(w);
  EXPECT_EQ(windows, r.total());
}

TEST(FirstSight, ServerSignalledLoadsAreColdToo) {
  auto r = thread_result();
  file(r, request("a", 10ms), 1ms);
  file(r, request("a", 700ms, /*loaded=*/true), 2ms);  // evicted and reloaded
  file(r, request("a", 10ms), 3ms);
  EXPECT_EQ(cold(r, "a"), 2u);
  EXPECT_EQ(warm(r, "a"), 1u);

  // A load the server signalled stays cold when an earlier request displaces it as first sight,
  // and a first sight that also signalled the load is counted once.
  auto s = thread_result();
  file(s, request("a", 700ms, true), 5ms);
  file(s, request("a", 10ms), 1ms);
  EXPECT_EQ(cold(s, "a"), 2u);
  EXPECT_EQ(warm(s, "a"), 0u);
  auto t = thread_result();
  file(t, request("a", 700ms, true), 1ms);
  file(t, request("a", 10ms), 5ms);
  EXPECT_EQ(cold(t, "a"), 1u);
  EXPECT_EQ(warm(t, "a"), 1u);
  EXPECT_EQ(t.total().count(), 2u);
}

TEST(FirstSight, FailuresAreCountedNotTimed) {
  auto r = thread_result();
  file(r, failed_request("a"), 1ms);  // e.g. a 424: the adapter failed to load
  file(r, request("a", 10ms), 2ms);
  const auto c = r.total({.adapter = "a", .use = adapter_use::cold});
  EXPECT_EQ(c.failures(), 1u) << "the failed first request was still the one that tried the load";
  EXPECT_TRUE(c.latency().empty());
  EXPECT_EQ(c.examples().at(failure_kind::http_4xx).front(), "HTTP 424: adapter failed to load");
  EXPECT_EQ(r.total({.adapter = "a"}).count(), 2u);
  EXPECT_EQ(r.total({.adapter = "a"}).failures(), 1u);
  EXPECT_EQ(warm(r, "a"), 1u);
}

TEST(FirstSight, TheBaseModelIsAnAdapterOfItsOwnAndPlainRequestsHaveNone) {
  auto r = thread_result();
  file(r, request("org/x", 40ms, /*loaded=*/true), 5ms);
  file(r, request("", 40ms), 5ms);  // the base model
  file(r, request("", 40ms), 6ms);
  observation plain;
  plain.latency = 3ms;
  plain.latency_uncorrected = 3ms;
  file(r, plain, 1ms, "health");
  file(r, plain, 2ms, "health");
  EXPECT_EQ(r.adapters(), (std::set<std::string>{"", "org/x"}));
  EXPECT_EQ(r.request_names(), (std::set<std::string>{"generate", "health"}));
  EXPECT_EQ(cold(r, "org/x"), 1u);
  EXPECT_EQ(r.total({.adapter = "org/x", .use = adapter_use::cold}).of(measure::ttft).max(), 20'000);
  EXPECT_EQ(cold(r, ""), 1u);
  EXPECT_EQ(warm(r, ""), 1u);
  EXPECT_EQ(r.total({.adapter = ""}).count(), 2u) << "plain requests are not the base model's";
  EXPECT_EQ(r.tallies.at({"health", "", adapter_use::none}).count(), 2u);
  EXPECT_EQ(r.first_sights.count(""), 1u);
  EXPECT_EQ(r.total().count(), 5u);
}

TEST(FirstSight, ADisplacedFirstSightIsFiledInTheWindowItCompletedIn) {
  auto r = thread_result();
  r.file("generate", request("a", 100ms), 1500ms, 2);  // seen first, completed in window 2
  r.file("generate", request("a", 100ms), 500ms, 1);   // started earlier: the first sight
  EXPECT_EQ(r.first_sights.at("a").window, 1u);
  const auto cold_windows = r.per_window({.use = adapter_use::cold});
  const auto warm_windows = r.per_window({.use = adapter_use::warm});
  ASSERT_EQ(cold_windows.size(), 3u);
  EXPECT_EQ(cold_windows[1].count(), 1u);
  EXPECT_EQ(cold_windows[2].count(), 0u);
  EXPECT_EQ(warm_windows[2].count(), 1u);
  EXPECT_EQ(r.series.windows()[2].tallies.at({"generate", "a", adapter_use::warm}).count(), 1u);
}

// Two shards see requests to one adapter start at the same tick: whatever the merge order, one of
// them is the cold one, and always the same.
TEST(FirstSight, TiesAreBrokenDeterministically) {
  auto one = thread_result(), two = thread_result();
  file(one, request("a", 10ms), 5ms);
  file(two, request("a", 20ms), 5ms);
  file(one, request("b", 10ms), 7ms, "generate");
  file(two, request("b", 10ms), 7ms, "generate_stream");  // same start and latency, another request name
  auto left = one, right = two;
  left.merge(two);
  right.merge(one);
  EXPECT_EQ(left.first_sights, right.first_sights);
  EXPECT_EQ(left.settled(), right.settled());
  EXPECT_EQ(left.per_window(), right.per_window());
  EXPECT_EQ(cold(left, "a"), 1u);
  EXPECT_EQ(warm(left, "a"), 1u);
  EXPECT_EQ(cold(left, "b"), 1u);
  EXPECT_EQ(warm(left, "b"), 1u);
  // Through JSON too: what a merge of result files decides.
  auto via_json = json(one).get<result>();
  via_json.merge(json(two).get<result>());
  EXPECT_EQ(via_json.settled(), left.settled());
}

// Two requests that start in the same nanosecond with the same latency, names and outcome, but
// differ elsewhere (here the TTFT): the tie is broken on the whole request, so the cold tally's
// TTFT does not depend on the merge order.
TEST(FirstSight, TiesOnEverythingButTheTtftAreBrokenDeterministically) {
  auto one = thread_result(), two = thread_result();
  auto quick = request("a", 10ms);
  quick.ttft = 1ms;
  auto slow = request("a", 10ms);
  slow.ttft = 9ms;
  file(one, quick, 5ms);
  file(two, slow, 5ms);
  auto left = one, right = two;
  left.merge(two);
  right.merge(one);
  EXPECT_EQ(left.settled(), right.settled());
  EXPECT_EQ(left.total({.use = adapter_use::cold}).of(measure::ttft), right.total({.use = adapter_use::cold}).of(measure::ttft));
}

TEST(FirstSight, JsonRoundTripKeepsMergesExact) {
  auto one = thread_result(), two = thread_result();
  file(one, request("a", 1ms), 5ms);
  file(one, request("a", 2ms, true), 6ms);
  file(two, request("a", 3ms), 4ms);
  file(two, request("b", 4ms), 8ms);
  auto merged = one;
  merged.merge(two);

  auto via_json = json::parse(json(one).dump()).get<result>();
  EXPECT_EQ(via_json, one);
  via_json.merge(json::parse(json(two).dump()).get<result>());
  EXPECT_EQ(via_json, merged);
  EXPECT_EQ(cold(via_json, "a"), 2u);  // the 4 ms first sight and the server-signalled load
  EXPECT_EQ(warm(via_json, "a"), 1u);
  EXPECT_EQ(via_json.first_sights.at("a").started, 4ms);
}

TEST(FirstSight, JsonKeepsStartsToTheNanosecond) {
  // 1 ns apart: microseconds (or floating-point milliseconds) would make them tie.
  auto one = thread_result(), two = thread_result();
  file(one, request("a", 50ms), 1'234'567'891ns);
  file(two, request("a", 10ms), 1'234'567'892ns);
  const auto j = json(one);
  ASSERT_EQ(j.at("first_sights").size(), 1u);
  EXPECT_EQ(j.at("first_sights")[0].at("started_ns"), 1'234'567'891);
  EXPECT_EQ(j.at("first_sights")[0].at("adapter"), "a");
  EXPECT_EQ(j.at("first_sights")[0].at("request"), "generate");
  EXPECT_EQ(j.at("first_sights")[0].at("use"), "warm");
  auto back = json::parse(j.dump()).get<result>();
  EXPECT_EQ(back.first_sights, one.first_sights);
  // Merged either way, through files, the 1 ns earlier request stays the cold one.
  auto later_first = json::parse(json(two).dump()).get<result>();
  later_first.merge(back);
  back.merge(json::parse(json(two).dump()).get<result>());
  for (const auto* r : {&back, &later_first}) {
    EXPECT_EQ(r->first_sights.at("a").started, 1'234'567'891ns);
    EXPECT_EQ(r->total({.use = adapter_use::cold}).latency().max(), 50'000);
    EXPECT_EQ(r->total({.use = adapter_use::warm}).latency().max(), 10'000);
  }
  EXPECT_EQ(back, later_first);
}

TEST(FirstSight, MalformedFirstSightsAreRejected) {
  auto r = thread_result();
  file(r, request("a", 10ms), 5ms);
  file(r, request("a", 10ms), 6ms);
  const json valid = r;
  const auto rejected = [](const json& j, const std::string& message) {
    EXPECT_THAT([&] { (void)j.get<result>(); }, ::testing::ThrowsMessage<configuration_error>(::testing::HasSubstr(message)))
        << j.dump();
  };
  auto j = valid;
  j["first_sights"][0]["use"] = "hot";
  rejected(j, "field 'use' must be \"warm\", \"cold\" or \"unknown\", got \"hot\"");
  j = valid;
  j["first_sights"][0]["tally"]["successes"] = 2;
  rejected(j, "must hold 'successes' (2) samples");
  j = valid;
  {
    tally two;
    two.record(request("a", 1ms));
    two.record(request("a", 1ms));
    j["first_sights"][0]["tally"] = two;
  }
  rejected(j, "a first sight is one request; 'a' holds 2");
  j = valid;
  j["first_sights"].push_back(j["first_sights"][0]);
  rejected(j, "adapter 'a' is listed twice");
  j = valid;
  j["first_sights"][0]["window"] = 7;
  rejected(j, "the first sight of 'a' lies past the last window");
  j = valid;
  j["first_sights"][0]["started_ns"] = 1.5;
  rejected(j, "field 'started_ns' must be an integer");
  j = valid;
  j["first_sights"] = json::object();
  rejected(j, "result 'first_sights': expected a list");
  j = valid;
  j.erase("first_sights");
  rejected(j, "missing field 'first_sights'");
}

}  // namespace
}  // namespace loadgate
