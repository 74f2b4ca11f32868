// Every socket has a deadline and the run ends on time, whatever the service does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

// Runs and measures the wall-clock time the call took.
std::pair<result, std::chrono::steady_clock::duration> timed_run(const scenario& s, const std::string& url) {
  const auto started = std::chrono::steady_clock::now();
  auto r = run(s, target::parse(url));
  return {std::move(r), std::chrono::steady_clock::now() - started};
}

TEST(Deadlines, RequestTimeoutsAreCountedAsTimeouts) {
  testing::test_server server{{.delay = 3s}};
  const auto s = scenario{"slow"}.users(2).duration(1s).grace(1s).request_timeout(200ms).task(http_task("t", "GET", "/"));
  const auto [r, took] = timed_run(s, server.url());
  // Each user: a timeout every ~200 ms for 1 s.
  EXPECT_GE(r.total().failures(failure_kind::timeout), 8u);
  EXPECT_EQ(r.total().failures(), r.total().failures(failure_kind::timeout));
  EXPECT_EQ(r.total().successes(), 0u);
  EXPECT_LT(took, 1500ms) << "the last timeout fires by 1.2 s";
  EXPECT_THAT(r.total().examples().at(failure_kind::timeout),
              ::testing::ElementsAre("deadline passed (connect, request or idle timeout)"));
}

TEST(Deadlines, SilenceMidResponseIsAnIdleTimeout) {
  testing::test_server server{{.chunks = 2, .chunk_delay = 2s, .body = "abcd"}};
  const auto s = scenario{"idle"}.duration(500ms).grace(1s).idle_timeout(150ms).task(http_task("t", "GET", "/"));
  const auto [r, took] = timed_run(s, server.url());
  EXPECT_GE(r.total().failures(failure_kind::timeout), 3u);
  EXPECT_EQ(r.total().successes(), 0u);
  EXPECT_LT(took, 1200ms);
}

TEST(Deadlines, AServerThatStopsAnsweringDoesNotHangTheRun) {
  testing::test_server server{{.hang_from = 20}};
  const auto s = scenario{"hang"}.users(4).threads(2).duration(1s).grace(500ms).task(http_task("t", "GET", "/"));
  const auto [r, took] = timed_run(s, server.url());
  EXPECT_LT(took, 2500ms) << "duration + grace + 1 s";
  EXPECT_GE(took, 1500ms) << "the hung requests had their grace period";
  EXPECT_EQ(r.total().successes(), 19u);
  EXPECT_EQ(r.total().failures(failure_kind::cancelled), 4u) << "one hung request per user";
  EXPECT_THAT(r.total().examples().at(failure_kind::cancelled),
              ::testing::Contains("still in flight when the run's grace period ended"));
  EXPECT_EQ(r.total().count(), server.requests());
  EXPECT_LT(r.info.measured_duration, 1600ms);
}

TEST(Deadlines, GraceLetsSlowRequestsFinish) {
  testing::test_server server{{.delay = 300ms}};
  const auto s = scenario{"grace"}.users(2).duration(500ms).grace(2s).task(http_task("t", "GET", "/"));
  const auto [r, took] = timed_run(s, server.url());
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_EQ(r.total().successes(), 4u) << "at 0 and 300 ms each; the second ends at 600 ms, in the grace period";
  EXPECT_LT(took, 1000ms) << "the run ends when the last request does, not at the end of the grace period";
}

}  // namespace
}  // namespace loadgate
