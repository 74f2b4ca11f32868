// The harness knows when it is the bottleneck: a worker thread kept busy by its own tasks runs its
// timers late, the run is flagged client_bound, and the gate refuses to judge it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"
#include "loadgate/gate/gate.hpp"
#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

// Spins on the worker's thread for `busy` before each request, as a task that builds a huge body
// or a slow prompt would: the thread does nothing else meanwhile.
task busy_task(std::chrono::milliseconds busy) {
  auto plain = http_task("busy", "GET", "/");
  return task{"busy",
              [plain, busy](task_context& context) {
                const auto until = clock::now() + busy;
                while (clock::now() < until) {
                }
                return plain.request(context);
              },
              {}, {}};
}

TEST(ClientBound, ASaturatedThreadIsFlaggedAndRefusedByTheGate) {
  testing::test_server server;
  const auto s = scenario{"saturated"}.users(8).threads(1).duration(1s).task(busy_task(30ms));
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GT(r.total().successes(), 0u);
  EXPECT_TRUE(r.info.client_bound()) << "lag p99 " << r.info.loop_lag_p99.count() << " ns";
  EXPECT_GT(r.info.loop_lag_p99, client_bound_lag);
  EXPECT_GT(r.info.thread_cpu_max, 0.8) << "the one thread spun nearly all the time";
  EXPECT_THAT([&] { (void)decide({r}, {r}, gate_options{}); },
              ::testing::ThrowsMessage<configuration_error>(
                  ::testing::HasSubstr("the load generator, not the service, was the bottleneck")));
}

TEST(ClientBound, AnIdleGeneratorIsNot) {
  testing::test_server server{{.delay = 20ms}};
  const auto s = scenario{"idle"}.users(4).threads(1).duration(1s).task(http_task("t", "GET", "/"));
  const auto r = run(s, target::parse(server.url()));
  EXPECT_GT(r.total().successes(), 0u);
  EXPECT_FALSE(r.info.client_bound()) << "lag p99 " << r.info.loop_lag_p99.count() << " ns";
  EXPECT_GT(r.info.loop_lag_p99, 0ns) << "measured";
  EXPECT_LT(r.info.thread_cpu_max, 0.9) << "waiting on 20 ms responses leaves the thread mostly idle";
}

}  // namespace
}  // namespace loadgate
