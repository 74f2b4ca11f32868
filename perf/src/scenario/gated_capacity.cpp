#include "loadgate/gated_capacity.hpp"

#include "loadgate/gate/gate_json.hpp"
#include "loadgate/scenario_configuration.hpp"

namespace loadgate {

namespace {

// The metrics a capacity baseline shows reviewers for its runs at the capacity.
std::vector<metric> reviewed_metrics() { return {p95(), p99(), failure_rate(), throughput()}; }

}  // namespace

bool gated_capacity_outcome::passed() const {
  switch (action) {
    case baseline_action::create:
    case baseline_action::update: return found && found->found;
    case baseline_action::compare: return comparison && comparison->passed();
    case baseline_action::fail_missing:
    case baseline_action::fail_stale: return false;
  }
  return false;
}

nlohmann::json capacity_configuration(const scenario& s, const std::vector<slo>& slos, const capacity_options& o) {
  const capacity_axis by = o.by.value_or(s.open_model() ? capacity_axis::rate : capacity_axis::users);
  return {{"by", std::string{to_string(by)}},     {"start", o.start},
          {"precision", o.precision},             {"max_failure", o.max_failure},
          {"min_achieved", o.min_achieved},       {"max_points", o.max_points},
          {"max_runs_per_point", o.max_runs_per_point}, {"slos", slos}};
}

gated_capacity_outcome gated_capacity(const scenario& s, const std::vector<slo>& slos, const target& t,
                                      std::string_view suite, std::string_view test,
                                      const gated_capacity_options& options, const baseline_environment& env) {
  auto configuration = scenario_configuration(s, options.configuration);
  configuration["capacity"] = capacity_configuration(s, slos, options.search);
  const auto plan = plan_baseline(env, suite, test, configuration);
  gated_capacity_outcome out;
  out.action = plan.action;
  out.baseline_file = plan.path;
  if (plan.action == baseline_action::fail_missing || plan.action == baseline_action::fail_stale) {
    out.message = plan.message;
    return out;
  }
  if (plan.action == baseline_action::compare && !plan.existing->capacity) {
    out.action = baseline_action::fail_stale;
    out.message = plan.path.string() + " holds no capacity (it was recorded by a gated run, not a capacity search); "
                  "re-record it: " + update_command(suite, test);
    return out;
  }

  // The runs of the highest load that met the SLOs become the baseline's runs: evidence of what
  // the service did at its capacity.
  auto search = options.search;
  std::vector<result> at_capacity;
  double best = -1;
  search.on_point = [&, forward = options.search.on_point](capacity_point& p, const std::vector<result>& runs, std::size_t i) {
    if (at_capacity.empty() || (p.met() && p.load > best)) {
      at_capacity = runs;
      if (p.met()) best = p.load;
    }
    if (forward) forward(p, runs, i);
  };
  out.found = capacity(s, slos, t, search);
  for (auto& r : at_capacity) r.info.configuration = configuration.dump();

  if (plan.action == baseline_action::compare) {
    out.baseline = plan.existing->capacity;
    out.comparison = compare_capacity(*out.baseline, *out.found, options.threshold);
    out.message = out.comparison->message;
    return out;
  }
  if (!out.found->found) {  // a baseline without a capacity could never be compared with
    out.message = plan.message + "\nno load met the SLOs (" + out.found->note + "), so no baseline was written; make " +
                  "the SLOs reachable or start lower, then: " + update_command(suite, test);
    return out;
  }
  auto fresh = make_baseline(std::string{suite} + "." + std::string{test}, configuration, at_capacity, reviewed_metrics(), env);
  fresh.capacity = out.found;
  write_baseline(fresh, plan.path);
  out.message = plan.message + "\nwrote " + plan.path.string() + ": capacity " + out.found->summary();
  if (plan.existing && plan.existing->capacity)
    out.message += "\nwas " + plan.existing->capacity->summary();
  return out;
}

}  // namespace loadgate
