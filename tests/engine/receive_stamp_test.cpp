// Responses are stamped when they reached the machine (the kernel's receive stamp), not when the
// worker thread got round to reading them: a thread held up by one user's response does not add
// the hold-up to another user's latency, and the run says how long bytes waited (read_wait_p99).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "loadgate/run.hpp"
#include "support/test_server.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

constexpr auto stall = 150ms;

// The run's first response holds the worker thread for `stall`, as a heavy reader or a burst of
// other streams would; the other user's response arrives meanwhile and waits in the kernel.
class stalling_reader final : public response_reader {
 public:
  explicit stalling_reader(std::atomic<bool>& stalled) : stalled_{stalled} {}
  void on_status(unsigned status) override {
    status_ = status;
    if (!stalled_.exchange(true)) std::this_thread::sleep_for(stall);
  }
  std::optional<failure_kind> finish(clock::time_point) override { return failure_from_status(status_); }

 private:
  std::atomic<bool>& stalled_;
  unsigned status_ = 0;
};

TEST(ReceiveStamp, AThreadHeldUpByOneResponseDoesNotDelayTheOthersStamp) {
  // Both users' first requests are answered together, so that the other user's request is on the
  // wire before the stall: otherwise its send, not its read, would wait behind the stall, and that
  // wait is the client's and rightly counted.
  testing::test_server server{{.hold_first = 2}};
  std::atomic<bool> stalled{false};
  task t = http_task("t", "GET", "/");
  t.reader = [&stalled] { return std::make_unique<stalling_reader>(stalled); };
  // Two users on one thread, a few requests each, so that the stalled read is the p99 read.
  const auto s = scenario{"stalled"}.users(2).threads(1).duration(500ms).think_time(constant(60ms)).task(std::move(t));
  const auto r = run(s, target::parse(server.url()));
  ASSERT_TRUE(stalled.load());
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_GE(r.total().count(), 4u);
  // A stamp taken at the read would have made the other user's latency at least the stall.
  EXPECT_LT(r.total().latency().duration_at_percentile(100), stall / 2);
  EXPECT_GE(r.info.read_wait_p99, stall * 2 / 3) << "the wait the stamps took out is kept";
}

}  // namespace
}  // namespace loadgate
