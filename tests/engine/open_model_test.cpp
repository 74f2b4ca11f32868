// The open model: arrivals on schedule whatever the responses do, timed from the intended start.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "loadgate/gate/slo.hpp"
#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

TEST(OpenModel, AFixedRateSendsRateTimesDuration) {
  testing::test_server server;
  const auto s = scenario{"paced"}.rate(200).threads(2).duration(2s).task(http_task("t", "GET", "/"));
  const auto r = run(s, target::parse(server.url()));
  const auto total = r.total();
  // Constant arrivals at 0, 5, 10, ... 1995 ms: exactly 400 in 2 s.
  EXPECT_EQ(total.count(), 400u);
  EXPECT_EQ(total.failures(), 0u);
  EXPECT_EQ(total.count(), server.requests());
  EXPECT_EQ(r.info.model, load_model::open);
  EXPECT_EQ(r.info.dropped_arrivals, 0u);
  EXPECT_EQ(r.info.planned_arrivals, total.count());
  EXPECT_LT(r.info.late_arrivals, total.count() / 2) << "even a busy machine keeps to most of the schedule";
  // Timed from the intended start, never less than from the actual send.
  EXPECT_EQ(total.latency().count(), total.of(measure::latency_uncorrected).count());
  EXPECT_GE(total.latency().min(), total.of(measure::latency_uncorrected).min());
  EXPECT_GE(total.latency().mean(), total.of(measure::latency_uncorrected).mean());
  EXPECT_GE(total.latency().max(), total.of(measure::latency_uncorrected).max());
}

TEST(OpenModel, ArrivalsBeyondMaxInFlightAreDropped) {
  testing::test_server server{{.delay = 100ms}};
  // 100 arrivals per second, 2 connections each busy 100 ms: room for ~20 per second.
  const auto s = scenario{"crowded"}.rate(100).max_in_flight(2).threads(1).duration(1s).task(http_task("t", "GET", "/"));
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GE(r.info.dropped_arrivals, 70u);
  EXPECT_NEAR(static_cast<double>(r.total().count() + r.info.dropped_arrivals), 100.0, 2.0);
  // The plan is counted apart from the tallies: every planned arrival was sent and counted, or dropped.
  EXPECT_EQ(r.info.planned_arrivals, r.total().count() + r.info.dropped_arrivals);
  EXPECT_EQ(r.total().count(), server.requests());
  const auto achieved = check(achieved_rate() >= 99_percent, r);
  EXPECT_FALSE(achieved.met);
  EXPECT_THAT(achieved.message(), ::testing::HasSubstr(std::to_string(r.info.dropped_arrivals) + " dropped of " +
                                                       std::to_string(r.info.planned_arrivals) + " planned"));
  EXPECT_EQ(r.total().failures(), 0u);
}

TEST(OpenModel, ResponsesSlowerThanTheGapDoNotSlowTheArrivals) {
  testing::test_server server{{.delay = 200ms}};
  const auto s = scenario{"overlap"}.rate(50).threads(1).duration(1s).grace(1s).task(http_task("t", "GET", "/"));
  const auto r = run(s, target::parse(server.url()));
  EXPECT_NEAR(static_cast<double>(r.total().count()), 50.0, 1.0);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_GE(r.total().of(measure::latency_uncorrected).min(), 200'000);  // µs
}

TEST(OpenModel, ArrivalsDueWhileTheThreadIsStalledCountAsLate) {
  testing::test_server server;
  task t = http_task("t", "GET", "/");
  auto build = t.request;
  t.request = [build](task_context& c) {
    // Arrival 10 holds the worker thread for 60 ms, the way a slow reader or an overloaded
    // generator would: the arrivals due meanwhile (every 10 ms) are sent late.
    if (c.iteration == 10)
      for (const auto until = clock::now() + 60ms; clock::now() < until;) {
      }
    return build(c);
  };
  const auto s = scenario{"stalled"}.rate(100).threads(1).duration(500ms).task(std::move(t));
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GE(r.info.late_arrivals, 4u);
  EXPECT_EQ(r.info.dropped_arrivals, 0u);
  EXPECT_GE(r.total().latency().max(), 40'000) << "the corrected latency of a late arrival includes its wait (µs)";
  EXPECT_LT(r.total().of(measure::latency_uncorrected).max(), r.total().latency().max());
  // 50 planned, at least 4 late: the achieved rate is at most 92 %, and the SLO says why it failed.
  EXPECT_EQ(r.info.planned_arrivals, r.total().count());
  const auto achieved = check(achieved_rate() >= 99_percent, r);
  EXPECT_FALSE(achieved.met);
  EXPECT_LE(achieved.actual.value, 0.92);
  EXPECT_THAT(achieved.message(), ::testing::HasSubstr(std::to_string(r.info.late_arrivals) + " late, 0 dropped of " +
                                                       std::to_string(r.info.planned_arrivals) + " planned"));
}

}  // namespace
}  // namespace loadgate
