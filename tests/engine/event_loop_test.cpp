// The worker's event loop: runs like io_context::run(), polls before sleeping only while
// completions come faster than its spin limit, and sleeps at once when they do not.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine/event_loop.hpp"
#include "support/sanitizers.hpp"

namespace loadgate::engine {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::chrono::nanoseconds thread_cpu_time() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return std::chrono::seconds{t.tv_sec} + std::chrono::nanoseconds{t.tv_nsec};
}

long voluntary_context_switches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nvcsw;
}

TEST(EventLoop, RunsHandlersAndTimersAndReturnsWhenOutOfWork) {
  asio::io_context io{1};
  int posted = 0;
  int fired = 0;
  asio::post(io, [&] { ++posted; });
  asio::steady_timer timer{io, 5ms};
  timer.async_wait([&](boost::system::error_code ec) { fired += !ec; });
  run_event_loop(io);
  EXPECT_EQ(posted, 1);
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(io.stopped());
}

TEST(EventLoop, AHandlersExceptionLeavesTheLoopLikeRun) {
  asio::io_context io{1};
  asio::post(io, [] { throw std::runtime_error("from a handler"); });
  EXPECT_THROW(run_event_loop(io), std::runtime_error);
}

TEST(EventLoop, StopFromAnotherThreadEndsAWaitingLoop) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);  // without stop(), the loop would never end
  std::atomic<bool> started{false};
  asio::post(io, [&] { started = true; });
  std::thread stopper{[&] {
    while (!started) std::this_thread::yield();
    io.stop();
  }};
  run_event_loop(io);
  stopper.join();
  EXPECT_TRUE(io.stopped());
}

// Timers 20 ms apart with a 10 ms spin limit: a loop that always spun would use half the
// thread's time; this one sees that the waits are long and sleeps through them.
TEST(EventLoop, LongWaitsAreSleptNotSpun) {
  asio::io_context io{1};
  asio::steady_timer timer{io};
  int ticks = 0;
  std::function<void()> arm = [&] {
    timer.expires_after(20ms);
    timer.async_wait([&](boost::system::error_code) {
      if (++ticks < 10) arm();
    });
  };
  arm();
  const auto cpu_before = thread_cpu_time();
  const auto wall_before = std::chrono::steady_clock::now();
  run_event_loop(io, 10ms);
  const auto cpu = thread_cpu_time() - cpu_before;
  const auto wall = std::chrono::steady_clock::now() - wall_before;
  EXPECT_EQ(ticks, 10);
  EXPECT_LT(cpu, wall / 5) << "the loop spun through waits longer than its spin limit";
}

// Work posted from another thread every ~1 ms with a 20 ms spin limit: after the first wait the
// loop polls through the gaps instead of sleeping, so it hardly ever blocks.
TEST(EventLoop, ShortWaitsArePolledNotSlept) {
  if (loadgate::testing::under_sanitizer) GTEST_SKIP() << "a timing test; a sanitizer's delays are not the loop's";
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  constexpr int posts = 100;
  std::atomic<int> handled{0};
  long switches_before = 0;
  asio::post(io, [&] { switches_before = voluntary_context_switches(); });
  std::thread feeder{[&] {
    for (int i = 0; i < posts; ++i) {
      std::this_thread::sleep_for(1ms);
      asio::post(io, [&] { ++handled; });
    }
    asio::post(io, [&] { guard.reset(); });
  }};
  run_event_loop(io, 20ms);
  const long switches = voluntary_context_switches() - switches_before;
  feeder.join();
  EXPECT_EQ(handled, posts);
  EXPECT_LT(switches, posts / 4) << "the loop slept between completions that came every millisecond";
}

}  // namespace
}  // namespace loadgate::engine
