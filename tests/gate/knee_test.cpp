// Knee detection: the two-segment fit recovers a hinge, the criteria tell a knee from a straight
// line, and on a closed system that saturates at a known number of users both knees are found
// there; the windows a level must not pool are left out; result.json's summary and summary.md
// show the knees of staged runs only.
#include "loadgate/gate/knee.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgate/markdown_summary.hpp"
#include "loadgate/run_summary.hpp"
#include "observations.hpp"

using namespace std::chrono_literals;
using namespace loadgate;
using testing::HasSubstr;

namespace {

using test_support::observed_success;

// y = 10 + 0.5 x, and 3 more per unit past x = 40: the hinge the fit must recover.
double hinge(double x) { return 10 + 0.5 * x + 3 * std::max(0.0, x - 40); }

// Uniform in [−1, 1): mt19937_64's output is specified exactly, the standard distributions are not.
double noise(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53 * 2 - 1; }

// A closed system with no think time that saturates at `saturation` users: below it a request
// takes floor + slope × users; at it the server completes all it can, so past it requests queue
// and, by Little's law, take users / capacity.
struct saturating_system {
  double saturation = 32;
  std::chrono::duration<double> floor = 100ms;
  std::chrono::duration<double> per_user = 500us;

  double capacity() const { return saturation / (floor + per_user * saturation).count(); }  // requests/s
  double latency_s(double users) const { return std::max((floor + per_user * users).count(), users / capacity()); }
  double throughput(double users) const { return users / latency_s(users); }
};

// Files one window of `system` at `users` (the load its requests saw): throughput × 1 s requests
// whose latencies spread ±5 % around the system's.
void file_window(result& r, std::size_t w, const saturating_system& system, double users) {
  const auto n = static_cast<int>(std::lround(system.throughput(users)));
  const double latency = system.latency_s(users);
  for (int i = 0; i < n; ++i) {
    const double spread = 0.95 + 0.1 * (i + 0.5) / n;
    const auto since = std::chrono::seconds{w} + std::chrono::milliseconds{1000 * i / n};
    r.file("generate", observed_success(std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::duration<double>(latency * spread))),
           since, w);
  }
}

// A staged closed run: 4, 8, ..., `top` users, each held for 4 windows, then 2 windows of grace.
result staged_run(const saturating_system& system, std::uint64_t top = 64) {
  constexpr std::size_t hold = 4;
  result r;
  r.info.scenario = "staged";
  r.info.model = load_model::closed;
  std::size_t w = 0;
  for (std::uint64_t users = 4; users <= top; users += 4) {
    for (std::size_t i = 0; i < hold; ++i, ++w) {
      r.series.window(w).active_users = users;
      file_window(r, w, system, static_cast<double>(users));
    }
  }
  r.info.planned_duration = std::chrono::seconds{w};
  r.info.measured_duration = std::chrono::seconds{w + 2};
  r.info.peak_users = top;
  for (std::size_t i = 0; i < 2; ++i, ++w) r.series.window(w).active_users = 0;
  return r;
}

// 8 users for 5 s: the constant load most scenarios are.
result constant_run() {
  result r;
  r.info.scenario = "constant";
  for (std::size_t w = 0; w < 5; ++w) {
    r.series.window(w).active_users = 8;
    file_window(r, w, saturating_system{}, 8);
  }
  r.info.planned_duration = 5s;
  r.info.measured_duration = 5s;
  return r;
}

// A continuous ramp of one user per second from 1 to 64: in window w the users went from w to
// w + 1, and its requests saw w + 0.5 on average.
result ramp_run(const saturating_system& system) {
  result r;
  r.info.scenario = "ramp";
  std::size_t w = 0;
  for (; w < 64; ++w) {
    r.series.window(w).active_users = w + 1;
    file_window(r, w, system, static_cast<double>(w) + 0.5);
  }
  r.info.planned_duration = 64s;
  r.info.measured_duration = 65s;
  r.series.window(w).active_users = 0;
  return r;
}

std::vector<double> xs(double from, double to, double step) {
  std::vector<double> out;
  for (double x = from; x <= to + 1e-9; x += step) out.push_back(x);
  return out;
}

}  // namespace

// ---- the fit ---------------------------------------------------------------------------------

TEST(TwoSegmentFit, RecoversAnExactHingeExactly) {
  const auto x = xs(0, 80, 2);
  std::vector<double> y;
  for (const double v : x) y.push_back(hinge(v));
  const auto f = fit_two_segments(x, y);
  ASSERT_TRUE(f.ok);
  EXPECT_NEAR(f.knee, 40, 1e-9);
  EXPECT_NEAR(f.intercept, 10, 1e-9);
  EXPECT_NEAR(f.slope_before, 0.5, 1e-9);
  EXPECT_NEAR(f.slope_after, 3.5, 1e-9);
  EXPECT_NEAR(f.sse, 0, 1e-12);
  EXPECT_NEAR(f.at(60), hinge(60), 1e-9);
}

TEST(TwoSegmentFit, FindsAHingeBetweenLevels) {
  const auto x = xs(0, 80, 8);  // 0, 8, ..., 80: the hinge at 40 is a level; move it to 37
  std::vector<double> y;
  for (const double v : x) y.push_back(10 + 0.5 * v + 3 * std::max(0.0, v - 37));
  const auto f = fit_two_segments(x, y);
  ASSERT_TRUE(f.ok);
  EXPECT_NEAR(f.knee, 37, 0.5) << "refined between the levels 32 and 40";
  EXPECT_NEAR(f.slope_after, 3.5, 0.05);
}

TEST(TwoSegmentFit, RecoversANoisyHingeWithinTwoUnits) {
  std::mt19937_64 rng{20261201};
  for (int trial = 0; trial < 20; ++trial) {
    SCOPED_TRACE(trial);
    const auto x = xs(0, 80, 1);
    std::vector<double> y;
    for (const double v : x) y.push_back(hinge(v) + 2 * noise(rng));
    const auto f = fit_two_segments(x, y);
    ASSERT_TRUE(f.ok);
    EXPECT_NEAR(f.knee, 40, 2);
    EXPECT_NEAR(f.slope_before, 0.5, 0.2);
    EXPECT_NEAR(f.slope_after, 3.5, 0.2);
  }
}

TEST(TwoSegmentFit, NeedsFiveDistinctLoadsAndEqualSizes) {
  const std::vector<double> x{1, 2, 3, 4, 4}, y{1, 2, 3, 4, 5};
  EXPECT_FALSE(fit_two_segments(x, y).ok);
  const std::vector<double> shorter{1, 2, 3};
  EXPECT_THROW(fit_two_segments(x, shorter), std::invalid_argument);
}

// ---- the criteria ----------------------------------------------------------------------------

TEST(KneeCriteria, AStraightLineHasNoKnee) {
  const auto x = xs(1, 40, 1);
  std::vector<double> y;
  for (const double v : x) y.push_back(5000 + 200 * v);
  const auto f = fit_two_segments(x, y);
  ASSERT_TRUE(f.ok);
  EXPECT_NEAR(f.slope_before, f.slope_after, 1e-6);
  const auto latency = latency_knee(f, 40);
  EXPECT_FALSE(latency.found);
  EXPECT_THAT(latency.why, HasSubstr("a knee needs 2×"));
  const auto throughput = throughput_knee(f);
  EXPECT_FALSE(throughput.found);
  EXPECT_THAT(throughput.why, HasSubstr("still grows"));
}

TEST(KneeCriteria, LatencyMustBendEnoughAndRiseEnough) {
  two_segment_fit f{true, 30, 100'000, 500, 3000, 0};  // µs: 0.5 → 3 ms per user past 30 users
  EXPECT_TRUE(latency_knee(f, 60).found) << "+75 ms on 115 ms at the knee";
  EXPECT_EQ(latency_knee(f, 60).load, 30);
  EXPECT_FALSE(latency_knee(f, 31).found) << "+2.5 ms by 31 users is 2 % of the latency at the knee";
  EXPECT_THAT(latency_knee(f, 31).why, HasSubstr("a knee needs 10 %"));
  f.slope_after = 800;  // 1.6×: a curve, not a knee
  EXPECT_FALSE(latency_knee(f, 60).found);
  f.slope_before = -100;  // a falling floor that then rises counts against 0
  EXPECT_TRUE(latency_knee(f, 60).found);
  f.slope_after = -50;
  EXPECT_FALSE(latency_knee(f, 60).found);
  EXPECT_THAT(latency_knee(f, 60).why, HasSubstr("does not rise"));
}

TEST(KneeCriteria, ThroughputMustStopGrowing) {
  two_segment_fit f{true, 32, 0, 10, 2.5, 0};
  EXPECT_TRUE(throughput_knee(f).found) << "a quarter of the earlier growth";
  f.slope_after = 2.6;
  EXPECT_FALSE(throughput_knee(f).found);
  f.slope_after = -1;  // falls: collapse past saturation is a knee too
  EXPECT_TRUE(throughput_knee(f).found);
  f.slope_before = 0;
  EXPECT_FALSE(throughput_knee(f).found) << "it never grew";
  EXPECT_THAT(throughput_knee(f).why, HasSubstr("does not grow"));
}

// ---- levels of a run -------------------------------------------------------------------------

TEST(LoadLevels, PoolTheWindowsEachLevelHeld) {
  const saturating_system system;
  const auto levels = load_levels(staged_run(system));
  ASSERT_EQ(levels.size(), 16u);
  EXPECT_EQ(levels.front().load, 4);
  EXPECT_EQ(levels.back().load, 64);
  for (const auto& l : levels) {
    SCOPED_TRACE(l.load);
    EXPECT_EQ(l.windows, 3u) << "the first of the 4 windows at each level is left out";
    EXPECT_NEAR(l.throughput, system.throughput(l.load), 1);
    EXPECT_NEAR(l.p50_latency_us, 1e6 * system.latency_s(l.load), 0.01 * 1e6 * system.latency_s(l.load));
  }
}

TEST(LoadLevels, LeaveOutStepsTheStartAndTheGracePeriod) {
  const saturating_system system;
  result r;
  r.series.window(0).active_users = 10;  // users started, no request completed yet
  for (std::size_t w = 1; w < 4; ++w) {
    r.series.window(w).active_users = 10;
    file_window(r, w, system, 10);
  }
  for (std::size_t w = 4; w < 7; ++w) {
    r.series.window(w).active_users = 20;
    // The step's first window completes requests sent at 10 users: ten times slower here, so
    // that pooling it would show.
    file_window(r, w, w == 4 ? saturating_system{.floor = 1s} : system, 20);
  }
  r.series.window(7).active_users = 20;  // grace: past the planned 7 s
  file_window(r, 7, saturating_system{.floor = 1s}, 20);
  r.info.planned_duration = 7s;
  const auto levels = load_levels(r);
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].windows, 3u) << "window 0 completed nothing; windows 1-3 held 10 users";
  EXPECT_EQ(levels[1].windows, 2u) << "window 4 is the step, window 7 the grace period";
  EXPECT_NEAR(levels[1].p50_latency_us, 1e6 * system.latency_s(20), 0.01 * 1e6 * system.latency_s(20));
}

TEST(LoadLevels, CountARampWindowAtItsMeanAndDropThinLevels) {
  const saturating_system system;
  const auto levels = load_levels(ramp_run(system));
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.front().load, 2.5) << "the windows at 0.5 and 1.5 users completed 5 and 15 requests, too few";
  EXPECT_EQ(levels.back().load, 63.5) << "window 63 ran from 63 to 64 users";
  EXPECT_EQ(levels.size(), 62u);
  for (const auto& l : levels) EXPECT_GE(l.samples, knee_criteria::min_level_samples);
}

// ---- knees of a run --------------------------------------------------------------------------

TEST(FindKnees, FindBothKneesOfAStagedRunNearSaturation) {
  const saturating_system system;
  const auto k = find_knees(staged_run(system));
  ASSERT_TRUE(k.latency.found) << k.latency.why;
  ASSERT_TRUE(k.throughput.found) << k.throughput.why;
  EXPECT_NEAR(k.latency.load, 32, 3.2);
  EXPECT_NEAR(k.throughput.load, 32, 3.2);
}

TEST(FindKnees, FindBothKneesOfARampNearSaturation) {
  for (const double saturation : {16.0, 32.0, 48.0}) {
    SCOPED_TRACE(saturation);
    const saturating_system system{.saturation = saturation};
    const auto k = find_knees(ramp_run(system));
    ASSERT_TRUE(k.latency.found) << k.latency.why;
    ASSERT_TRUE(k.throughput.found) << k.throughput.why;
    EXPECT_NEAR(k.latency.load, saturation, 0.1 * saturation);
    EXPECT_NEAR(k.throughput.load, saturation, 0.1 * saturation);
  }
}

TEST(FindKnees, ASystemThatNeverSaturatesHasNone) {
  const auto k = find_knees(staged_run(saturating_system{.saturation = 1000}));
  EXPECT_FALSE(k.latency.found) << k.latency.why;
  EXPECT_FALSE(k.throughput.found) << k.throughput.why;
}

TEST(FindKnees, SayWhyWithTooFewLevels) {
  std::vector<load_level> levels(3);
  for (std::size_t i = 0; i < 3; ++i) levels[i] = {static_cast<double>(8 * (i + 1)), 5, 500, 100'000, 80};
  const auto k = find_knees(levels);
  EXPECT_FALSE(k.latency.found);
  EXPECT_FALSE(k.throughput.found);
  EXPECT_EQ(k.latency.why, "3 load levels; knee detection needs at least 5 (a staged or ramp run)");
  EXPECT_EQ(k.throughput.why, k.latency.why);
}

TEST(FindKnees, DoNotReadOpenModelRuns) {
  auto r = staged_run(saturating_system{});
  r.info.model = load_model::open;
  const auto k = find_knees(r);
  EXPECT_TRUE(k.levels.empty());
  EXPECT_FALSE(k.latency.found);
  EXPECT_THAT(k.latency.why, HasSubstr("open-model runs"));
}

TEST(FindKnees, AreForStagedRuns) {
  auto staged = staged_run(saturating_system{});
  EXPECT_TRUE(has_load_stages(staged)) << "no configuration recorded: 16 load levels say it";
  staged.info.configuration = R"({"scenario": {"name": "x", "duration_s": 64}})";
  EXPECT_FALSE(has_load_stages(staged)) << "the configuration says constant load";
  staged.info.configuration = R"({"scenario": {"name": "x", "stages": [{"target": 64, "ramp_s": 64}]}})";
  EXPECT_TRUE(has_load_stages(staged));
  EXPECT_FALSE(has_load_stages(constant_run()));
}

// ---- what the reports show -------------------------------------------------------------------

TEST(KneeReports, ResultJsonSummaryCarriesTheKneesOfStagedRuns) {
  const auto staged = run_summary(staged_run(saturating_system{}));
  ASSERT_TRUE(staged.contains("knees"));
  const auto& k = staged.at("knees");
  EXPECT_EQ(k.at("load_axis"), "users");
  EXPECT_EQ(k.at("latency").at("found"), true);
  EXPECT_NEAR(k.at("latency").at("load").get<double>(), 32, 3.2);
  EXPECT_EQ(k.at("throughput").at("found"), true);
  EXPECT_EQ(k.at("latency").at("fit").at("unit"), "ms");
  EXPECT_EQ(k.at("levels").size(), 16u);
  EXPECT_EQ(k.at("levels").at(0).at("users"), 4);
  EXPECT_NEAR(k.at("levels").at(0).at("latency_p50_ms").get<double>(), 102, 1);

  EXPECT_FALSE(run_summary(constant_run()).contains("knees")) << "constant load has no knee to look for";

  auto few = staged_run(saturating_system{}, 12);
  few.info.configuration = R"({"scenario": {"stages": [{"target": 4, "hold_s": 4}, {"target": 8, "hold_s": 4}]}})";
  const auto j = run_summary(few);
  ASSERT_TRUE(j.contains("knees")) << "a staged run says why it found none";
  EXPECT_EQ(j.at("knees").at("latency").at("found"), false);
  EXPECT_TRUE(j.at("knees").at("latency").at("load").is_null());
  EXPECT_EQ(j.at("knees").at("latency").at("why"), "3 load levels; knee detection needs at least 5 (a staged or ramp run)");
}

TEST(KneeReports, SummaryMdSaysWhereTheKneesAre) {
  const auto md = markdown_summary({staged_run(saturating_system{}), std::nullopt, std::nullopt, {}});
  EXPECT_THAT(md, HasSubstr("### Knees"));
  EXPECT_THAT(md, testing::ContainsRegex("latency leaves its floor at 3[0-9](\\.[0-9])? users"));
  EXPECT_THAT(md, testing::ContainsRegex("throughput stops growing at 3[0-9](\\.[0-9])? users"));
  EXPECT_THAT(md, HasSubstr("perf/src/gate/README.md"));
  EXPECT_THAT(md, HasSubstr("| p50 latency |"));
  EXPECT_THAT(markdown_summary({constant_run(), std::nullopt, std::nullopt, {}}), testing::Not(HasSubstr("Knees")));
}
