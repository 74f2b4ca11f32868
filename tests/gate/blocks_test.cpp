#include "gate/blocks.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

#include "gate/bootstrap.hpp"

using namespace std::chrono_literals;
using namespace loadgate;
using namespace loadgate::gate_detail;

namespace {

// A ramp of 1, 2, 3 (× 100) requests, then 100 per window, for `planned` seconds plus a drain.
std::vector<metric_tally> ramp_then_steady(std::size_t planned) {
  std::vector<metric_tally> windows;
  for (std::size_t i = 0; i <= planned; ++i) {
    metric_tally t;
    t.count = i < 3 ? 25 * (i + 1) : 100;
    if (i == planned) t.count = 10;
    t.seconds = 1;
    for (std::uint64_t k = 0; k < t.count; ++k) t.distribution.record(1000 + static_cast<std::int64_t>(k));
    windows.push_back(std::move(t));
  }
  return windows;
}

}  // namespace

TEST(SteadyWindows, SkipTheRampUpAndTheDrain) {
  result r;
  r.info.planned_duration = 20s;
  const auto windows = ramp_then_steady(20);
  const auto range = steady_windows(r, windows, 0s);
  EXPECT_EQ(range.begin, 3u) << "25, 50 and 75 requests are below 90 % of the median 100";
  EXPECT_EQ(range.end, 20u) << "window 20 is the grace period";
  EXPECT_EQ(steady_windows(r, windows, 5s).begin, 5u) << "the warm-up applies on top";
}

TEST(SteadyWindows, DropTheLastPartialWindowWhenThePlanIsUnknown) {
  result r;
  const auto windows = ramp_then_steady(20);
  EXPECT_EQ(steady_windows(r, windows, 0s).end, 20u);
}

TEST(Blocks, HoldEnoughSamplesForTheirStatistic) {
  const auto windows = ramp_then_steady(40);
  const window_range range{3, 40};
  EXPECT_EQ(block_windows(p95(), windows, range, 2), 2u) << "200 samples for p95 at 100 per window";
  EXPECT_EQ(block_windows(p99(), windows, range, 2), 9u) << "capped at a quarter of 37 windows";
  EXPECT_EQ(block_windows(throughput(), windows, range, 2), 2u);
  const auto blocks = make_blocks(windows, range, 2);
  EXPECT_EQ(blocks.size(), 18u) << "37 windows give 18 whole blocks of 2";
  EXPECT_EQ(blocks[0].count, 200u);
  EXPECT_EQ(blocks[0].distribution.count(), 200u);
  EXPECT_DOUBLE_EQ(blocks[0].seconds, 2);
}

TEST(PairedBootstrap, DrawsTheSamePositionsOnBothSides) {
  // Baseline and current are the same staged pattern (a quiet block, a busy one, ...): a replicate
  // that draws more busy blocks draws them on both sides, so the change is exactly 0 every time.
  const auto windows = ramp_then_steady(40);
  runs_of_blocks side{make_blocks(windows, window_range{0, 40}, 2)};
  for (std::size_t i = 0; i < side[0].size(); i += 2) side[0][i].count /= 10;
  const auto e = bootstrap_change(throughput(), side, side, 0.05, 200, 7);
  EXPECT_EQ(e.valid, 200u);
  EXPECT_DOUBLE_EQ(e.low, 0);
  EXPECT_DOUBLE_EQ(e.high, 0);
  EXPECT_DOUBLE_EQ(e.change_variance, 0);
}

TEST(PairedBootstrap, RefusesRunsWithUnequalBlockCounts) {
  const auto windows = ramp_then_steady(40);
  const runs_of_blocks longer{make_blocks(windows, window_range{0, 40}, 2)};
  const runs_of_blocks shorter{make_blocks(windows, window_range{0, 20}, 2)};
  EXPECT_THROW((void)bootstrap_change(throughput(), longer, shorter, 0.05, 10, 1), std::logic_error);
}
