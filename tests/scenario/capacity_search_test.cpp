// The capacity search and its gate on a modelled service (a runner that builds results instead
// of sending requests): the bracket holds the true capacity, overloads stop the rise, points too
// close to call run again, bad searches are refused before anything runs, and the capacity gate
// tells a fall from noise.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "loadgate/capacity.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/capacity_gate.hpp"
#include "observations.hpp"
#include "temp_path.hpp"

namespace {

using namespace std::chrono_literals;
using loadgate::capacity_axis;
using loadgate::capacity_estimate;
using loadgate::capacity_outcome;
using loadgate::capacity_point;

// A service whose p95 latency is 100 ms × (1 + (rate / knee)²) and whose failures start above
// `failing_above`; p95 < 200 ms holds exactly below `knee` req/s.
struct modelled_service {
  double knee = 300;
  double failing_above = 1e9;
  int calls = 0;

  loadgate::result operator()(const loadgate::scenario& s, const loadgate::target&) {
    ++calls;
    loadgate::result r;
    r.info.scenario = s.name();
    r.info.model = loadgate::load_model::open;
    r.info.planned_duration = 6s;
    const double rate = s.rate();
    const double center_ms = 100 * (1 + (rate / knee) * (rate / knee));
    const auto per_window = static_cast<int>(std::lround(rate));
    for (std::size_t w = 0; w < 6; ++w) {
      for (int i = 0; i < per_window; ++i) {
        const auto since = std::chrono::milliseconds{static_cast<int>(w) * 1000 + i * 1000 / per_window};
        // ±5 % around the centre, evenly: the p95 is 1.045 × the centre.
        const double ms = center_ms * (0.95 + 0.1 * (i % 100) / 100.0);
        if (rate > failing_above && i % 10 == 0)
          r.file("generate", loadgate::test_support::observed_failure(loadgate::failure_kind::http_5xx), since, w);
        else
          r.file("generate", loadgate::test_support::observed_success(std::chrono::microseconds{std::lround(ms * 1000)}), since, w);
      }
    }
    return r;
  }
};

loadgate::scenario open_scenario(double rate) {
  return loadgate::scenario{"modelled"}.rate(rate).duration(6s).task(loadgate::http_task("GET /", "GET", "/"));
}

const std::vector<loadgate::slo> p95_under_200ms{loadgate::p95() < 200ms};

// The rate at which the model's p95 (1.045 × centre) reaches 200 ms.
double true_capacity(double knee) { return knee * std::sqrt(200 / (100 * 1.045) - 1); }

TEST(CapacitySearch, BracketsTheTrueCapacityToThePrecisionAsked) {
  modelled_service service;
  loadgate::capacity_options o;
  o.runner = std::ref(service);
  const auto found = loadgate::capacity(open_scenario(50), p95_under_200ms, loadgate::target{}, o);
  ASSERT_TRUE(found.found) << found.summary();
  EXPECT_EQ(found.by, capacity_axis::rate);
  // Within 1 %: the histogram's resolution, and a point too close to call decided on its value.
  EXPECT_LE(found.low, 1.01 * true_capacity(service.knee)) << found.summary();
  EXPECT_GE(found.high, 0.99 * true_capacity(service.knee)) << found.summary();
  EXPECT_LE((found.high - found.low) / found.low, 0.05) << found.summary();
  EXPECT_EQ(found.value, found.low);
  EXPECT_LE(found.points.size(), o.max_points);
  // Doubling from 50: 50, 100, 200 met, 400 missed; then bisection.
  ASSERT_GE(found.points.size(), 4u);
  EXPECT_EQ(found.points[3].load, 400);
  EXPECT_EQ(found.points[3].outcome, capacity_outcome::missed);
  for (const auto& p : found.points) {
    ASSERT_EQ(p.checks.size(), 1u);
    EXPECT_LE(p.checks[0].low, p.checks[0].value);
    EXPECT_GE(p.checks[0].high, p.checks[0].value);
  }
}

TEST(CapacitySearch, HalvesFromAStartThatMisses) {
  modelled_service service;
  loadgate::capacity_options o;
  o.runner = std::ref(service);
  const auto found = loadgate::capacity(open_scenario(1000), p95_under_200ms, loadgate::target{}, o);
  ASSERT_TRUE(found.found) << found.summary();
  EXPECT_LE(found.low, 1.01 * true_capacity(service.knee));
  EXPECT_GE(found.high, 0.99 * true_capacity(service.knee));
}

TEST(CapacitySearch, FailuresBeyondTheLimitAreAnOverload) {
  modelled_service service;
  service.failing_above = 150;  // 10 % failures above 150 req/s, far under the latency capacity
  loadgate::capacity_options o;
  o.runner = std::ref(service);
  const auto found = loadgate::capacity(open_scenario(100), p95_under_200ms, loadgate::target{}, o);
  ASSERT_TRUE(found.found);
  EXPECT_LE(found.value, 150);
  EXPECT_GT(found.high, 150);
  bool overloaded = false;
  for (const auto& p : found.points)
    if (p.outcome == capacity_outcome::overload) {
      overloaded = true;
      EXPECT_NE(p.reason.find("failure rate 10."), std::string::npos) << p.reason;
      EXPECT_NE(p.reason.find("above the limit 1.00 %"), std::string::npos) << p.reason;
    }
  EXPECT_TRUE(overloaded);
}

TEST(CapacitySearch, APointTooCloseToCallRunsAgainUpToItsBound) {
  modelled_service service;
  loadgate::capacity_options o;
  o.runner = std::ref(service);
  o.max_runs_per_point = 3;
  o.max_points = 2;
  // Starting at the true capacity puts the limit inside the first point's interval.
  const auto found = loadgate::capacity(open_scenario(true_capacity(service.knee)), p95_under_200ms, loadgate::target{}, o);
  ASSERT_FALSE(found.points.empty());
  EXPECT_EQ(found.points[0].runs, 3u) << found.points[0].reason;
  EXPECT_NE(found.points[0].reason.find("too close to call after 3 runs"), std::string::npos) << found.points[0].reason;
  EXPECT_LE(service.calls, 6) << "points × runs bound the search";
}

TEST(CapacitySearch, RefusesWhatCannotBeSearchedBeforeRunningAnything) {
  modelled_service service;
  loadgate::capacity_options o;
  o.runner = std::ref(service);
  EXPECT_THROW(loadgate::capacity(open_scenario(50), {}, loadgate::target{}, o), loadgate::configuration_error);
  auto staged = open_scenario(50);
  staged.stages({{.target = 50, .ramp = 1s, .hold = 5s}});
  EXPECT_THROW(loadgate::capacity(staged, p95_under_200ms, loadgate::target{}, o), loadgate::configuration_error);
  o.by = capacity_axis::users;
  try {
    loadgate::capacity(open_scenario(50), p95_under_200ms, loadgate::target{}, o);
    ADD_FAILURE() << "a users search of an open scenario was accepted";
  } catch (const loadgate::configuration_error& e) {
    EXPECT_NE(std::string{e.what()}.find("search by rate instead"), std::string::npos) << e.what();
  }
  EXPECT_EQ(service.calls, 0);
}

TEST(CapacitySearch, ByUsersRoundsToWholeUsers) {
  const auto s = loadgate::scenario{"closed"}.users(10).duration(6s).task(loadgate::http_task("GET /", "GET", "/"));
  EXPECT_EQ(loadgate::scenario_at(s, capacity_axis::users, 12.6).users(), 13u);
  EXPECT_EQ(loadgate::scenario_at(open_scenario(10), capacity_axis::rate, 12.5).rate(), 12.5);
}

// A search that ended with [low, high): low met and high missed, each decided outright unless
// `at_bound` says the repeats ran out first.
capacity_estimate bracket(double low, double high, bool at_bound = false) {
  capacity_estimate c;
  c.found = true;
  c.value = c.low = low;
  c.high = high;
  c.points.push_back({.load = low / 2, .outcome = loadgate::capacity_outcome::met});
  c.points.push_back({.load = low, .outcome = loadgate::capacity_outcome::met, .decided_at_bound = at_bound});
  c.points.push_back({.load = high, .outcome = loadgate::capacity_outcome::missed, .decided_at_bound = at_bound});
  c.points.push_back({.load = high * 2, .outcome = loadgate::capacity_outcome::overload});
  return c;
}

TEST(CapacitySearch, AStopEndsTheSearchBeforeItsNextRunKeepingThePointsJudged) {
  // The stop comes while the second point runs, as a signal would: that run is whole (the
  // modelled service ignores it), the third point does not run, and the note says why.
  modelled_service service;
  loadgate::run_stop stop;
  loadgate::capacity_options o;
  o.stop = &stop;
  o.runner = [&](const loadgate::scenario& s, const loadgate::target& t) {
    if (service.calls == 1) stop.request("SIGINT");
    return service(s, t);
  };
  const auto found = loadgate::capacity(open_scenario(50), p95_under_200ms, loadgate::target{}, o);
  EXPECT_EQ(service.calls, 2);
  ASSERT_EQ(found.points.size(), 2u);
  EXPECT_TRUE(found.found);
  EXPECT_EQ(found.note, "interrupted by SIGINT before run 1 of point 3");
}

TEST(CapacitySearch, ARunTheStopInterruptedIsNotJudged) {
  modelled_service service;
  loadgate::capacity_options o;
  o.runner = [&](const loadgate::scenario& s, const loadgate::target& t) {
    auto r = service(s, t);
    if (service.calls == 2) r.info.interrupted = loadgate::interruption{"SIGTERM", 2s, false};
    return r;
  };
  const auto found = loadgate::capacity(open_scenario(50), p95_under_200ms, loadgate::target{}, o);
  ASSERT_EQ(found.points.size(), 1u) << "the interrupted point is not among them";
  EXPECT_EQ(found.note.rfind("point 2 interrupted by SIGTERM at 2.0 s of 6.0 s", 0), 0u) << found.note;
}

TEST(CapacityGate, AFallBeyondHalfTheThresholdIsARegression) {
  const auto d = loadgate::compare_capacity(bracket(200, 210), bracket(160, 168));
  EXPECT_EQ(d.verdict, loadgate::verdict::regression) << d.message;
  EXPECT_NEAR(d.change, 164.0 / 205 - 1, 1e-12);
  EXPECT_NEAR(d.low, 160.0 / 210 - 1, 1e-12);
  EXPECT_NEAR(d.high, 168.0 / 200 - 1, 1e-12);
  EXPECT_FALSE(d.passed());
  EXPECT_NE(d.message.find("capacity 200.0 req/s → 160.0 req/s, -20.0 % [-23.8, -16.0] → regression"), std::string::npos)
      << d.message;
}

TEST(CapacityGate, OverlappingBracketsPassAndARiseIsAnImprovement) {
  EXPECT_EQ(loadgate::compare_capacity(bracket(200, 210), bracket(195, 205)).verdict, loadgate::verdict::pass);
  EXPECT_EQ(loadgate::compare_capacity(bracket(200, 210), bracket(190, 200)).verdict, loadgate::verdict::pass)
      << "one step of the bracket is noise, not a regression";
  // Adjacent brackets 8 % apart: the half-open ends prove the fall.
  EXPECT_EQ(loadgate::compare_capacity(bracket(200, 210), bracket(185, 200)).verdict, loadgate::verdict::regression);
  EXPECT_EQ(loadgate::compare_capacity(bracket(200, 210), bracket(260, 270)).verdict, loadgate::verdict::improvement);
  capacity_estimate none;
  EXPECT_EQ(loadgate::compare_capacity(bracket(200, 210), none).verdict, loadgate::verdict::regression);
}

TEST(CapacityGate, EndsSettledAtTheRepeatBoundDoNotProveAFall) {
  // The same 8 % fall, but both searches' bracket ends were too close to call: either could have
  // gone the other way, so the range reaches the next points decided outright and includes 0.
  const auto d = loadgate::compare_capacity(bracket(200, 210, true), bracket(185, 200, true));
  EXPECT_EQ(d.verdict, loadgate::verdict::pass) << d.message;
  EXPECT_GT(d.high, 0) << d.message;
}

TEST(CapacityBaseline, TheCapacityRoundTripsThroughTheBaselineFile) {
  modelled_service service;
  loadgate::capacity_options o;
  o.runner = std::ref(service);
  const auto found = loadgate::capacity(open_scenario(50), p95_under_200ms, loadgate::target{}, o);
  auto b = loadgate::make_baseline("Capacity.Model", {{"scenario", "x"}}, {service(open_scenario(found.value), {})},
                                   {loadgate::p95()}, loadgate::baseline_environment{});
  b.capacity = found;
  const auto file = loadgate::test_support::temp_path("capacity-baseline", ".json");
  loadgate::write_baseline(b, file);
  const auto read = loadgate::read_baseline(file);
  ASSERT_TRUE(read.capacity.has_value());
  EXPECT_EQ(read.capacity->value, found.value);
  EXPECT_EQ(read.capacity->high, found.high);
  ASSERT_EQ(read.capacity->points.size(), found.points.size());
  EXPECT_EQ(read.capacity->points.back().checks.at(0).call, found.points.back().checks.at(0).call);
  EXPECT_EQ(loadgate::to_text(read), loadgate::to_text(b)) << "reading and writing again gives the same bytes";
  std::filesystem::remove(file);
}

}  // namespace
