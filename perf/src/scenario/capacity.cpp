#include "loadgate/capacity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "loadgate/error.hpp"
#include "loadgate/run.hpp"

namespace loadgate {

namespace {

// The lowest load a search goes down to before it says that no load met the SLOs: halving from
// the start ten times is a factor of 1024 below what the user expected.
constexpr int most_halvings = 10;

// A stop request (capacity_options::stop) ends the search: not a failure, so it is told apart
// from the runner's exceptions.
struct search_stopped {
  std::string why;
};

class search {
 public:
  search(const scenario& s, const std::vector<slo>& slos, const target& t, const capacity_options& o, capacity_axis by)
      : scenario_{s}, slos_{slos}, target_{t}, options_{o}, by_{by} {}

  capacity_estimate find(double start) {
    estimate_.by = by_;
    estimate_.precision = options_.precision;
    estimate_.high = std::numeric_limits<double>::infinity();
    try {
      bracket(rounded(start));
      narrow();
    } catch (const search_stopped& s) {
      stopped_ = s.why;
    } catch (const std::exception& e) {
      // Nothing ran: the search could not start, and the caller says so. Later, the points so
      // far are evidence worth keeping: the search stops and says why.
      if (estimate_.points.empty()) throw;
      stopped_ = "stopped: a run at point " + std::to_string(estimate_.points.size() + 1) + " failed: " + e.what();
    }
    conclude();
    return estimate_;
  }

 private:
  double rounded(double load) const { return by_ == capacity_axis::users ? std::max(1.0, std::round(load)) : load; }
  bool room() const { return estimate_.points.size() < options_.max_points; }

  // Doubling from a load that met, halving from one that missed, until one of each is known.
  void bracket(double load) {
    int halvings = 0;
    while (room()) {
      const bool met = try_load(load);
      if (met && std::isfinite(estimate_.high)) return;
      if (!met && estimate_.found) return;
      if (met) {
        load = rounded(load * 2);
      } else {
        const double lower = rounded(load / 2);
        if (++halvings > most_halvings || lower >= load) return;
        load = lower;
      }
    }
  }

  // Bisection of [low, high) until it is as narrow as asked.
  void narrow() {
    while (room() && estimate_.found && std::isfinite(estimate_.high) &&
           (estimate_.high - estimate_.low) / estimate_.low > options_.precision) {
      const double middle = rounded((estimate_.low + estimate_.high) / 2);
      if (middle <= estimate_.low || middle >= estimate_.high) break;  // users: nothing between them
      try_load(middle);
    }
  }

  void conclude() {
    auto& e = estimate_;
    if (!stopped_.empty()) {
      e.note = stopped_;
    } else if (!e.found) {
      e.note = "no load met the SLOs";
    } else if (!std::isfinite(e.high)) {
      e.note = "every load tried met the SLOs: the capacity is at least " + format_load(by_, e.value) +
               " (raise max_points or start higher)";
    } else if (by_ == capacity_axis::users && e.high - e.low <= 1) {
      e.note = "bracket one user wide";
    } else if ((e.high - e.low) / e.low > options_.precision) {
      e.note = "stopped after " + std::to_string(e.points.size()) + " points with the bracket wider than asked";
    } else {
      e.note = "bracket within " + std::to_string(static_cast<int>(std::round(options_.precision * 100))) + " %";
    }
    log("capacity: " + e.summary() + " (" + e.note + ")");
  }

  bool try_load(double load) {
    const auto at = scenario_at(scenario_, by_, load);
    capacity_point p;
    p.load = load;
    std::vector<result> runs;
    const auto index = estimate_.points.size() + 1;
    const auto bound = std::max<std::size_t>(1, options_.max_runs_per_point);
    slo_call call = slo_call::too_close;
    while (call == slo_call::too_close && runs.size() < bound) {
      if (options_.stop && options_.stop->stopped())
        throw search_stopped{"interrupted by " + options_.stop->reason() + " before run " + std::to_string(runs.size() + 1) +
                             " of point " + std::to_string(index)};
      log("capacity point " + std::to_string(index) + ": " + format_load(by_, load) + ", run " +
          std::to_string(runs.size() + 1));
      runs.push_back(options_.runner ? options_.runner(at, target_) : loadgate::run(at, target_, {.stop = options_.stop}));
      if (runs.back().info.interrupted)
        throw search_stopped{"point " + std::to_string(index) + " " + interruption_text(runs.back().info)};
      p.runs = runs.size();
      call = judge(p, runs);
    }
    if (call == slo_call::too_close) settle_at_bound(p);
    if (options_.on_point) options_.on_point(p, runs, index);
    log("capacity point " + std::to_string(index) + ": " + format_load(by_, load) + " " + std::string{to_string(p.outcome)} +
        (p.reason.empty() ? "" : " — " + p.reason));
    if (p.met()) {
      if (!estimate_.found || load > estimate_.value) estimate_.value = estimate_.low = load;
      estimate_.found = true;
    } else if (load < estimate_.high) {
      estimate_.high = load;
    }
    const bool met = p.met();
    estimate_.points.push_back(std::move(p));
    return met;
  }

  // Judges the point on its runs so far; too_close asks for another run.
  slo_call judge(capacity_point& p, const std::vector<result>& runs) const {
    p.checks.clear();
    p.reason.clear();
    for (const auto& s : slos_) p.checks.push_back(estimate(s, runs, options_.interval));
    const auto failures = estimate(failure_rate() <= percent(options_.max_failure * 100), runs, options_.interval);
    const auto achieved = estimate(throughput() >= 0.0, runs, options_.interval);
    p.achieved = achieved.value;
    if (failures.samples > 0 && failures.value > options_.max_failure) {
      p.outcome = capacity_outcome::overload;
      p.reason = "failure rate " + format_value(metric_unit::fraction, failures.value) + " above the limit " +
                 format_value(metric_unit::fraction, options_.max_failure);
      return slo_call::missed;
    }
    if (by_ == capacity_axis::rate && achieved.value < options_.min_achieved * p.load) {
      p.outcome = capacity_outcome::overload;
      p.reason = "achieved " + format_value(metric_unit::per_second, achieved.value) + ", below " +
                 std::to_string(static_cast<int>(std::round(options_.min_achieved * 100))) + " % of the target";
      return slo_call::missed;
    }
    const auto call = combined_call(p.checks);
    p.outcome = call == slo_call::met ? capacity_outcome::met : capacity_outcome::missed;
    if (call == slo_call::missed) p.reason = beyond_limit(p, [](const slo_estimate& c) { return c.call == slo_call::missed; });
    return call;
  }

  // At the bound of repeats, the pooled value decides (the nearer side of the limit).
  static void settle_at_bound(capacity_point& p) {
    const auto misses = [](const slo_estimate& c) { return c.samples == 0 || !c.slo.holds(c.value); };
    const bool all_hold = std::none_of(p.checks.begin(), p.checks.end(), misses);
    p.outcome = all_hold ? capacity_outcome::met : capacity_outcome::missed;
    p.decided_at_bound = true;
    p.reason = "too close to call after " + std::to_string(p.runs) + " runs; the pooled value decided" +
               (all_hold ? "" : ": " + beyond_limit(p, misses));
  }

  // The SLO columns show the values; the reason names the SLO that decided.
  template <class Missed>
  static std::string beyond_limit(const capacity_point& p, Missed missed) {
    for (const auto& c : p.checks)
      if (missed(c)) return c.samples == 0 ? c.message() : c.slo.metric.label() + " beyond its limit";
    return {};
  }

  void log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  const scenario& scenario_;
  const std::vector<slo>& slos_;
  const target& target_;
  const capacity_options& options_;
  capacity_axis by_;
  capacity_estimate estimate_;
  std::string stopped_;  // why the search ended early: a run failed, or a stop was requested
};

}  // namespace

scenario scenario_at(const scenario& s, capacity_axis by, double load) {
  if (!s.stages().empty())
    throw configuration_error{"a capacity search sets one load for each point: give a scenario without stages"};
  scenario at = s;
  if (by == capacity_axis::rate) {
    if (!s.open_model())
      throw configuration_error{"a capacity search by rate needs an open-model scenario (\"load\": {\"model\": \"open\", "
                                "\"rate\": R}); this one is closed: search by users instead"};
    if (!(load > 0)) throw configuration_error{"a capacity search by rate needs a rate above 0"};
    at.load(open_load{load, s.arrivals(), s.max_in_flight()});
  } else {
    if (s.open_model())
      throw configuration_error{"a capacity search by users needs a closed-model scenario (\"load\": {\"model\": "
                                "\"closed\", \"users\": N}); this one is open: search by rate instead"};
    if (!(load >= 1)) throw configuration_error{"a capacity search by users needs at least 1 user"};
    at.load(closed_load{static_cast<std::size_t>(std::llround(load)), s.spawn_rate(), s.think_time()});
  }
  at.validate();
  return at;
}

capacity_estimate capacity(const scenario& s, const std::vector<slo>& slos, const target& t, const capacity_options& o) {
  if (slos.empty()) throw configuration_error{"a capacity search needs at least one SLO (p95<500ms, ttft.p95<300ms, ...)"};
  if (!(o.precision > 0)) throw configuration_error{"the capacity search's precision must be above 0 % (default 5 %)"};
  if (o.max_points < 2) throw configuration_error{"a capacity search needs at least 2 points to bracket a capacity"};
  const capacity_axis by = o.by.value_or(s.open_model() ? capacity_axis::rate : capacity_axis::users);
  const double start = o.start > 0 ? o.start : (by == capacity_axis::rate ? s.rate() : static_cast<double>(s.users()));
  scenario_at(s, by, start);  // refuses a scenario that cannot be searched before anything is sent
  return search{s, slos, t, o, by}.find(start);
}

}  // namespace loadgate
