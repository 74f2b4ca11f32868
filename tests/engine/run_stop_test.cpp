// A run stopped early (loadgate/run_stop.hpp) keeps what it measured: the first request lets the
// requests in flight finish and starts none, a second cancels them, and every request sent is
// accounted for once. The stops are triggered from the progress callback, when the run has
// reached a state the test can see, never after a sleep.
#include <gtest/gtest.h>

#include <atomic>

#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

struct timed_result {
  result r;
  std::chrono::steady_clock::duration took;
};

// Runs with `stop` attached; `when` sees every progress snapshot (every 20 ms) and says whether to
// ask for a stop now. `requests` stops more than once: the first winds down, the next cancel.
timed_result run_stopped_when(const scenario& s, const std::string& url, run_stop& stop,
                              const std::function<bool(const progress&)>& when, int requests = 1) {
  run_options options;
  options.stop = &stop;
  options.progress_interval = 20ms;
  int asked = 0;
  options.on_progress = [&](const progress& p) {
    if (asked < requests && when(p)) {
      for (; asked < requests; ++asked) stop.request("test stop");
    }
  };
  const auto started = std::chrono::steady_clock::now();
  auto r = run(s, target::parse(url), options);
  return {std::move(r), std::chrono::steady_clock::now() - started};
}

TEST(RunStop, WindingDownLetsRequestsInFlightFinishAndStartsNoMore) {
  testing::test_server server{{.delay = 100ms}};
  const auto s = scenario{"wind-down"}.users(4).duration(20s).grace(5s).task(http_task("t", "GET", "/"));
  run_stop stop;
  std::uint64_t completed_at_stop = 0;
  const auto [r, took] = run_stopped_when(s, server.url(), stop, [&](const progress& p) {
    completed_at_stop = p.requests;
    return p.requests >= 8;
  });

  ASSERT_TRUE(r.info.interrupted);
  EXPECT_EQ(r.info.interrupted->reason, "test stop");
  EXPECT_FALSE(r.info.interrupted->cancelled);
  EXPECT_LT(r.info.interrupted->reached, 5s);
  EXPECT_LT(took, 5s) << "the 20 s plan ended at the stop, after the last 100 ms request";
  EXPECT_EQ(r.total().failures(), 0u) << "the requests in flight had time to finish";
  EXPECT_EQ(r.total().count(), server.requests()) << "each request sent is counted once";
  // At most one round of 4 users in flight when asked, and one more between the snapshot and the ask.
  EXPECT_LE(server.requests(), completed_at_stop + 2 * 4) << "no task started after the stop";
}

TEST(RunStop, ASecondRequestCancelsWhatIsInFlightAtOnce) {
  testing::test_server server{{.hang_from = 1}};  // answers nothing
  const auto s = scenario{"cancel"}.users(3).duration(20s).grace(30s).task(http_task("t", "GET", "/"));
  run_stop stop;
  const auto [r, took] =
      run_stopped_when(s, server.url(), stop, [&](const progress&) { return server.requests() == 3; }, 2);

  ASSERT_TRUE(r.info.interrupted);
  EXPECT_TRUE(r.info.interrupted->cancelled);
  EXPECT_LT(took, 5s) << "not the 30 s grace";
  EXPECT_EQ(r.total().failures(failure_kind::cancelled), 3u);
  EXPECT_EQ(r.total().count(), server.requests());
}

TEST(RunStop, WhatIsStillInFlightWhenTheGraceEndsIsCancelled) {
  testing::test_server server{{.hang_from = 1}};  // answers nothing
  const auto s = scenario{"grace"}.users(2).duration(20s).grace(200ms).task(http_task("t", "GET", "/"));
  run_stop stop;
  const auto [r, took] = run_stopped_when(s, server.url(), stop, [&](const progress&) { return server.requests() == 2; });

  ASSERT_TRUE(r.info.interrupted);
  EXPECT_FALSE(r.info.interrupted->cancelled) << "one request: the grace was given";
  EXPECT_LT(took, 3s) << "the stop, then 200 ms of grace";
  EXPECT_EQ(r.total().failures(failure_kind::cancelled), 2u);
  EXPECT_EQ(r.total().count(), server.requests());
}

TEST(RunStop, TheOpenModelStopsItsArrivals) {
  testing::test_server server{{.delay = 50ms}};
  const auto s = scenario{"arrivals"}.rate(100).max_in_flight(50).duration(20s).grace(5s).task(http_task("t", "GET", "/"));
  run_stop stop;
  const auto [r, took] = run_stopped_when(s, server.url(), stop, [](const progress& p) { return p.requests >= 20; });

  ASSERT_TRUE(r.info.interrupted);
  EXPECT_LT(took, 5s);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(r.total().count(), server.requests());
  EXPECT_LT(server.requests(), 200u) << "20 s at 100/s would be 2,000";
}

TEST(RunStop, AStopAskedBeforeTheRunStartsEndsItAsSoonAsItStarts) {
  testing::test_server server;
  const auto s = scenario{"early"}.users(2).duration(20s).grace(5s).task(http_task("t", "GET", "/"));
  run_stop stop;
  stop.request("before");
  run_options options;
  options.stop = &stop;
  const auto started = std::chrono::steady_clock::now();
  const auto r = run(s, target::parse(server.url()), options);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  ASSERT_TRUE(r.info.interrupted);
  EXPECT_EQ(r.info.interrupted->reason, "before");
  EXPECT_EQ(r.total().count(), 0u) << "the workers heard of the stop before their first task";
  EXPECT_EQ(server.requests(), 0u);
}

TEST(RunStop, ARunThatEndsBeforeAnyStopIsComplete) {
  testing::test_server server;
  const auto s = scenario{"whole"}.users(1).duration(200ms).task(http_task("t", "GET", "/"));
  run_stop stop;
  run_options options;
  options.stop = &stop;
  const auto r = run(s, target::parse(server.url()), options);
  stop.request("too late");  // no listener any more: nothing to stop, and nothing breaks
  EXPECT_FALSE(r.info.interrupted);
  EXPECT_GT(r.total().count(), 0u);
}

TEST(RunStop, ListenersHearEveryStepAndTheFirstReasonStays) {
  run_stop stop;
  std::vector<run_stop::step> heard;
  stop.request("first");
  stop.on_request([&](run_stop::step s) { heard.push_back(s); });  // hears the step already asked
  stop.request("second");
  stop.on_request(nullptr);
  stop.request("third");
  EXPECT_EQ(heard, (std::vector{run_stop::step::wind_down, run_stop::step::cancel_now}));
  EXPECT_EQ(stop.reason(), "first");
  EXPECT_EQ(stop.requested(), run_stop::step::cancel_now);
}

}  // namespace
}  // namespace loadgate
