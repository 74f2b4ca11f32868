#include "loadgate/scenario_runner.hpp"

#include <sstream>

#include "loadgate/error.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/scenario_configuration.hpp"

namespace loadgate {
namespace {

struct session {
  const scenario& s;
  const target& t;
  const gated_run_options& options;
  const nlohmann::json& configuration;

  void log(const std::string& line) const {
    if (options.log()) options.log()(line);
  }
  result run_once(std::size_t index, std::size_t bound) const {
    log("run " + std::to_string(index) + " of at most " + std::to_string(bound) + ": " + s.name() + " against " +
        t.url());
    auto r = options.runner() ? options.runner()(s, t) : loadgate::run(s, t);
    // So that the result alone tells which baselines it may be gated against (loadgate gate).
    r.info.configuration = configuration.dump();
    return r;
  }
};

// What decide() will gate, so that the baseline records the same metrics for reviewers: the
// defaults gain p95 TTFT when the runs record it.
std::vector<metric> metrics_of(const gate_options& g, const std::vector<result>& runs) {
  const auto gated = !g.custom_metrics() && !runs.empty() ? default_gated_metrics(runs.front()) : g.metrics();
  std::vector<metric> out;
  for (const auto& m : gated) out.push_back(m.metric);
  return out;
}

std::string inconclusive_labels(const gate_decision& d) {
  std::string out;
  for (const auto& v : d.metrics)
    if (v.verdict == verdict::inconclusive) out += (out.empty() ? "" : ", ") + v.metric.label();
  return out;
}

// create / update: the baseline rests on max_runs repetitions, as the gate's calibration assumes.
void record(const session& run, gated_outcome& out, const baseline_plan& plan, std::string_view name,
            const nlohmann::json& configuration, const baseline_environment& env) {
  const auto repetitions = std::max<std::size_t>(1, run.options.gate().max_runs());
  for (std::size_t i = 1; i <= repetitions; ++i) out.runs.push_back(run.run_once(i, repetitions));
  const auto fresh = make_baseline(std::string{name}, configuration, out.runs, metrics_of(run.options.gate(), out.runs), env);
  write_baseline(fresh, plan.path);
  out.message = plan.message + "\nwrote " + plan.path.string() + " from " + std::to_string(repetitions) +
                " runs\n" + format_baseline_change(plan.existing ? &*plan.existing : nullptr, fresh);
}

void compare(const session& run, gated_outcome& out, const baseline& stored) {
  const auto& gate = run.options.gate();
  const auto bound = std::max<std::size_t>(1, gate.max_runs());
  out.runs.push_back(run.run_once(1, bound));
  auto decision = decide(stored, out.runs, gate);
  out.decisions.push_back(decision);
  while (decision.rerun() && out.runs.size() < bound) {
    run.log("inconclusive: " + inconclusive_labels(decision) + "; running again");
    out.runs.push_back(run.run_once(out.runs.size() + 1, bound));
    decision = decide(stored, out.runs, gate);
    out.decisions.push_back(decision);
  }
  out.compared_with = stored;
  out.message = format_decision(decision);
  out.decision = std::move(decision);
}

}  // namespace

bool gated_outcome::passed() const { return gate_passed(action, decision); }

result gated_outcome::pooled() const {
  if (runs.empty()) throw configuration_error{"no run was made (the baseline is " + std::string{to_string(action)} +
                                              "), so there is no result to check SLOs on"};
  baseline pool;
  pool.runs = runs;
  return pool.merged();
}

gated_outcome gated_run(const scenario& s, const target& t, std::string_view suite, std::string_view test,
                        const gated_run_options& options, const baseline_environment& env) {
  s.validate();
  const auto configuration = scenario_configuration(s, options.configuration());
  const auto plan = plan_baseline(env, suite, test, configuration);
  gated_outcome out;
  out.action = plan.action;
  out.baseline_file = plan.path;
  const session run{s, t, options, configuration};
  switch (plan.action) {
    case baseline_action::fail_missing:
    case baseline_action::fail_stale: out.message = plan.message; break;
    case baseline_action::create:
    case baseline_action::update:
      record(run, out, plan, std::string{suite} + "." + std::string{test}, configuration, env);
      break;
    case baseline_action::compare: compare(run, out, *plan.existing); break;
  }
  return out;
}

}  // namespace loadgate
