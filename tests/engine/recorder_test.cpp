// The Recorder, the only place observations are filed: by task name (plain HTTP) or by adapter
// with first sights held apart (LLM), for the whole run and the window a request completed in;
// goodput's met_slo set against the scenario's SLO; the counters and closed windows the progress
// thread reads.
#include "engine/recorder.hpp"

#include <gtest/gtest.h>

#include "loadgate/llm/per_request_slo.hpp"

namespace loadgate::engine {
namespace {

using namespace std::chrono_literals;

const clock::time_point run_start = clock::time_point{} + 1h;

observation plain(std::chrono::nanoseconds latency) {
  observation o;
  o.start = run_start;
  o.latency = latency;
  o.latency_uncorrected = latency;
  return o;
}

observation llm_request(std::string adapter, clock::time_point start, std::chrono::nanoseconds ttft) {
  observation o = plain(ttft + 50ms);
  o.start = start;
  o.llm = true;
  o.adapter = std::move(adapter);
  o.adapter_loaded = false;  // as lorax-sim says it: x-adapter-load-time 0
  o.ttft = ttft;
  o.e2e = ttft + 50ms;
  return o;
}

scenario two_tasks() {
  return scenario{"r"}.users(1).duration(5s).task(http_task("home", "GET", "/")).task(http_task("generate", "POST", "/g"));
}

const tally_key home{"home", {}, adapter_use::none};

TEST(Recorder, FilesPlainRequestsByTaskForTheRunAndTheirWindow) {
  const auto s = two_tasks();
  recorder rec{s.tasks()};
  rec.start(run_start);
  auto ok = plain(5ms);
  rec.file(0, ok, run_start + 1500ms);
  auto failed = plain(2ms);
  failed.failure = failure_kind::timeout;
  failed.cause = "deadline passed (connect, request or idle timeout)";
  rec.file(0, failed, run_start + 2100ms);
  auto early = plain(1ms);
  rec.file(0, early, run_start - 1ms);  // before the start (clock skew): the first window

  auto& r = rec.result();
  EXPECT_EQ(r.tallies.at(home).count(), 3u);
  EXPECT_EQ(r.tallies.at(home).failures(failure_kind::timeout), 1u);
  EXPECT_TRUE(r.tallies.at({"generate", {}, adapter_use::none}).empty()) << "every task is listed, even one never completed";
  ASSERT_EQ(r.series.windows().size(), 3u);
  EXPECT_EQ(r.series.windows()[0].tallies.at(home).count(), 1u);
  EXPECT_EQ(r.series.windows()[1].tallies.at(home).count(), 1u);
  EXPECT_EQ(r.series.windows()[2].tallies.at(home).failures(), 1u);
  EXPECT_EQ(r.tallies.at(home).examples().at(failure_kind::timeout).size(), 1u);
  const auto share = rec.share();
  EXPECT_EQ(share.requests, 3u);
  EXPECT_EQ(share.failures, 1u);
}

TEST(Recorder, FilesLlmRequestsByAdapterWithTheirStartSinceTheRun) {
  const auto s = two_tasks();
  recorder rec{s.tasks()};
  rec.start(run_start);
  auto later = llm_request("org/a", run_start + 300ms, 20ms);
  rec.file(1, later, run_start + 370ms);
  auto first = llm_request("org/a", run_start + 100ms, 600ms);  // started first, completed last
  rec.file(1, first, run_start + 1750ms);
  auto base = llm_request("", run_start + 200ms, 10ms);
  rec.file(1, base, run_start + 260ms);

  const auto& r = rec.result();
  ASSERT_EQ(r.first_sights.count("org/a"), 1u);
  EXPECT_EQ(r.first_sights.at("org/a").started, 100ms) << "t0 minus the run's start";
  EXPECT_EQ(r.first_sights.at("org/a").window, 1u) << "the window it completed in";
  EXPECT_EQ(r.total({.adapter = "org/a", .use = adapter_use::cold}).of(measure::ttft).max(), 600'000);
  EXPECT_EQ(r.total({.adapter = "org/a", .use = adapter_use::warm}).count(), 1u);
  EXPECT_EQ(r.total({.adapter = ""}).count(), 1u);
  EXPECT_EQ(r.total({.request = "generate"}).count(), 3u);
  EXPECT_TRUE(r.tallies.at({"generate", {}, adapter_use::none}).empty()) << "LLM requests are filed by adapter";
  EXPECT_EQ(r.series.windows()[0].tallies.at({"generate", "org/a", adapter_use::warm}).count(), 1u);
  EXPECT_EQ(rec.share().requests, 3u);
}

TEST(Recorder, SetsMetSloAgainstTheScenariosSlo) {
  const auto s = two_tasks();
  recorder rec{s.tasks(), llm::per_request_slo{.ttft = 100ms}};
  rec.start(run_start);
  auto fast = llm_request("a", run_start, 50ms);
  rec.file(1, fast, run_start + 100ms);
  EXPECT_TRUE(fast.met_slo);
  auto slow = llm_request("a", run_start + 1ms, 150ms);
  rec.file(1, slow, run_start + 200ms);
  EXPECT_FALSE(slow.met_slo);
  auto failed = llm_request("a", run_start + 2ms, 10ms);
  failed.failure = failure_kind::stream_error;
  failed.met_slo = true;  // whatever it said before, a failure never meets the SLO
  rec.file(1, failed, run_start + 300ms);
  EXPECT_FALSE(failed.met_slo);
  EXPECT_EQ(rec.result().total().met_slo(), 1u);
  EXPECT_EQ(rec.result().total().successes(), 2u);

  recorder no_limit{s.tasks()};
  no_limit.start(run_start);
  auto any = llm_request("a", run_start, 5s);
  no_limit.file(1, any, run_start + 6s);
  EXPECT_EQ(no_limit.result().total().met_slo(), 1u) << "no SLO: every success counts";
}

TEST(Recorder, HandsTheClosedWindowsTotalToTheProgressThread) {
  const auto s = two_tasks();
  recorder rec{s.tasks()};
  rec.start(run_start);
  for (int i = 0; i < 4; ++i) {
    auto o = plain(std::chrono::milliseconds{10 + i});
    rec.file(0, o, run_start + std::chrono::milliseconds{100 * i});
  }
  auto next = plain(1ms);
  rec.file(0, next, run_start + 1100ms);
  EXPECT_FALSE(rec.closed_window_index());
  rec.publish(run_start + 900ms, 7);  // window 0 still open
  EXPECT_FALSE(rec.closed_window_index());
  EXPECT_EQ(rec.share().active, 7u);
  rec.publish(run_start + 1200ms, 5);
  ASSERT_EQ(rec.closed_window_index(), 0u);
  tally last;
  rec.add_closed_window(0, last);
  EXPECT_EQ(last.count(), 4u) << "window 0's requests, not the one completed at 1.1 s";
  EXPECT_EQ(last.latency().max(), 13'000);
  EXPECT_EQ(rec.result().series.windows()[0].active_users, 5u);
  tally other;
  rec.add_closed_window(1, other);
  EXPECT_TRUE(other.empty()) << "only the window handed over";
  rec.publish(run_start + 1300ms, 5);  // the same window again: nothing new
  EXPECT_EQ(rec.closed_window_index(), 0u);
}

}  // namespace
}  // namespace loadgate::engine
