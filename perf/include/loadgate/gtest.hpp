#pragma once
// GoogleTest glue for load scenarios; link loadgate::gtest (the core library never links gtest).
//
//   class MultiLora : public loadgate::scenario_test {};
//   TEST_F(MultiLora, SteadyMixedAdapters) {
//     auto scenario = loadgate::scenario{"steady"}.users(32).duration(12s).task(loadgate::lorax::generate());
//     auto outcome = loadgate::expect_no_regression(scenario, target());
//     EXPECT_THAT(outcome, loadgate::meets(p95() < 400ms, failure_rate() < 1_percent));
//   }
//
// The baseline is named after the current test: baselines/<profile>/<suite>.<test>.json.
#include <ostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/gate/matchers.hpp"
#include "loadgate/gated_capacity.hpp"
#include "loadgate/scenario_configuration.hpp"
#include "loadgate/scenario_runner.hpp"
#include "loadgate/target_from_env.hpp"

namespace loadgate {

// Resolves the target before the test body (target_from_env(service())). Unreachable fails the
// test with what to do; LOADGATE_SKIP_UNREACHABLE=1 makes it a skip instead.
class scenario_test : public ::testing::Test {
 protected:
  void SetUp() override;
  const loadgate::target& target() const { return target_; }
  // The CTest service this suite's load goes to ("" = the default one of loadgate_add_scenarios).
  virtual std::string service() const { return {}; }

 private:
  loadgate::target target_;
};

template <class Param>
class scenario_test_with_param : public scenario_test, public ::testing::WithParamInterface<Param> {};

// gated_run() for the current test: logs its runs to stdout and records the baseline file, the
// action and the run count as JUnit properties. Asserts nothing. Unless `options` names a runner
// of its own, each run scrapes the server's metrics as LOADGATE_SCRAPE has it (by default, for
// LLM tasks, the target's /metrics when it answers: loadgate/metrics_endpoint.hpp).
gated_outcome gated_run(const scenario& s, const target& t, gated_run_options options = {});

// The same, and a non-fatal failure carrying the outcome's message when it did not pass (a
// regression, a stale or, in CI, a missing baseline). A created or updated baseline passes and
// prints what it wrote.
gated_outcome expect_no_regression(const scenario& s, const target& t, gated_run_options options = {});

// A capacity scenario: finds the highest load that meets `slos` (loadgate/capacity.hpp) and gates
// it against the test's baseline (loadgate/gated_capacity.hpp); a capacity that fell fails the
// test ("capacity 212.5 req/s → 180.0 req/s, −15.3 % [−19.0, −11.2] → regression"). Every point's
// last run is kept under $LOADGATE_RUNS_DIR/<Suite.Test>/<n>/points/, with capacity.md beside.
gated_capacity_outcome expect_no_capacity_regression(const scenario& s, const std::vector<slo>& slos, const target& t,
                                                     gated_capacity_options options = {});

// EXPECT_THAT(loadgate::gated_run(scenario, target()), loadgate::no_regression());
class outcome_matcher {
 public:
  using is_gtest_matcher = void;
  bool MatchAndExplain(const gated_outcome& o, std::ostream* os) const {
    if (os) *os << o.message;
    return o.passed();
  }
  void DescribeTo(std::ostream* os) const { *os << "shows no regression against its baseline"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "regresses, or has no usable baseline"; }
};

inline outcome_matcher no_regression() { return {}; }

// What GoogleTest prints for a result or an outcome in a failed expectation (not their bytes).
void PrintTo(const result& r, std::ostream* os);
void PrintTo(const gated_outcome& o, std::ostream* os);

}  // namespace loadgate
