#pragma once
// The capacity search: the highest arrival rate (or user count) at which a service meets every
// SLO. Doubling (or halving) brackets it, bisection narrows the bracket to a stated precision;
// each point's SLOs are judged with an interval (gate/slo_interval.hpp), and a point too close to
// call is run again, a bounded number of times. The search stops rising on overload: failures
// beyond the limit, or an achieved rate short of the target.
//
//   auto found = loadgate::capacity(scenario.rate(50), {p95() < 600ms}, target);
//   std::cout << found.summary();   // "212.5 req/s [212.5, 225.0) after 8 points"
//
// Time: at most max_points × max_runs_per_point runs of the scenario's duration and grace.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loadgate/gate/capacity_estimate.hpp"
#include "loadgate/gate/slo.hpp"
#include "loadgate/gate/slo_interval.hpp"
#include "loadgate/result.hpp"
#include "loadgate/run_stop.hpp"
#include "loadgate/scenario.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

struct capacity_options {
  std::optional<capacity_axis> by;  // default: the scenario's model (open: rate, closed: users)
  double start = 0;                 // the first load tried; 0: the scenario's rate or users
  double precision = 0.05;          // stop once (high − low) / low ≤ precision
  double max_failure = 0.01;        // a point whose failure rate exceeds it is an overload
  double min_achieved = 0.9;        // rate search: achieved / target below it is an overload
  std::size_t max_points = 16;      // loads tried, at most
  std::size_t max_runs_per_point = 3;
  slo_interval_options interval;
  std::function<result(const scenario&, const target&)> runner;  // default loadgate::run
  // When set, stops the search early (loadgate/run_stop.hpp): a request ends it before its next
  // run, and a run it interrupted ends it without judging that point; the points judged so far
  // are the estimate, whose note says "interrupted by SIGINT before run 1 of point 3". The default
  // runner passes it to each run; a runner of one's own must pass it too. It must outlive
  // capacity().
  run_stop* stop = nullptr;
  // After every point, with its runs: for evidence and progress.
  std::function<void(capacity_point&, const std::vector<result>& runs, std::size_t index)> on_point;
  std::function<void(const std::string&)> log;
};

// The scenario at one load: its load model with the rate (open) or the user count (closed)
// replaced. Throws configuration_error for staged scenarios or the other model's axis.
scenario scenario_at(const scenario& s, capacity_axis by, double load);

capacity_estimate capacity(const scenario& s, const std::vector<slo>& slos, const target& t,
                           const capacity_options& options = {});

}  // namespace loadgate
