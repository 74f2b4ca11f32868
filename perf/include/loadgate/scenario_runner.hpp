#pragma once
// A gated run: runs a scenario and treats its stored baseline as the environment says
// (perf/src/gate/README.md, "What happens to a scenario's baseline"):
//   compare        run, decide(); an inconclusive verdict reruns, up to gate_options::max_runs
//   create/update  run max_runs repetitions, write the baseline atomically, show old vs new
//   fail_missing   CI is set and there is no baseline: no run, fail with the update command
//   fail_stale     the fingerprint differs: no run, fail with the changed keys and the command
//
//   auto outcome = loadgate::gated_run(scenario, target, "MultiLora", "Steady", options);
//   if (!outcome.passed()) std::cerr << outcome.message;
// GoogleTest users call expect_no_regression() from loadgate/gtest.hpp, which names the baseline
// after the current test.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate.hpp"
#include "loadgate/gate/slo.hpp"
#include "loadgate/result.hpp"
#include "loadgate/run.hpp"
#include "loadgate/scenario.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

class gated_run_options {
 public:
  using runner_type = std::function<result(const scenario&, const target&)>;
  using log_type = std::function<void(const std::string&)>;

  // The statistical gate, including max_runs (default 3 runs in all). Default: gate_options{}.
  gated_run_options& gate(gate_options g) { gate_ = std::move(g); return *this; }
  const gate_options& gate() const { return gate_; }
  // Knobs the scenario cannot show (a task's max_new_tokens, adapter selection, the service's
  // shape): they join the fingerprint. Default null.
  gated_run_options& configuration(nlohmann::json extra) { configuration_ = std::move(extra); return *this; }
  const nlohmann::json& configuration() const { return configuration_; }
  // How one run is made. Default: loadgate::run(scenario, target). A seam for tests and benches.
  gated_run_options& runner(runner_type r) { runner_ = std::move(r); return *this; }
  const runner_type& runner() const { return runner_; }
  // Where progress lines go ("run 2 of at most 3: p95 latency inconclusive"). Default: nowhere.
  gated_run_options& log(log_type l) { log_ = std::move(l); return *this; }
  const log_type& log() const { return log_; }

 private:
  gate_options gate_;
  nlohmann::json configuration_ = nullptr;
  runner_type runner_;
  log_type log_;
};

struct gated_outcome {
  baseline_action action = baseline_action::compare;
  std::filesystem::path baseline_file;
  std::optional<baseline> compared_with;  // compare: the stored baseline
  std::vector<result> runs;               // every run made, in order (none for fail_*); each records
                                          // the configuration in info.configuration
  std::optional<gate_decision> decision;  // compare only: the final decision
  std::vector<gate_decision> decisions;   // compare only: the decision after each run, in order
  std::string message;                    // for people: what happened to the baseline, the verdicts
  // Where the last run's evidence was written (report.html, gate.json, ...), when it was: the
  // GoogleTest glue writes every run's folder. Empty otherwise.
  std::filesystem::path evidence;
  // Called by loadgate::meets(...) when it checks SLOs on this outcome, so the evidence can show
  // them too. Unset: nobody listens.
  std::function<void(const std::vector<slo_check>&)> on_slo_checks;

  void report_slo_checks(const std::vector<slo_check>& checks) const {
    if (on_slo_checks) on_slo_checks(checks);
  }

  // compare: the decision passed; create/update: the baseline was written; fail_*: false.
  bool passed() const;
  bool ran() const { return !runs.empty(); }  // fail_* make no run
  // The runs pooled (histograms and counts added, durations summed), for SLO checks that should
  // rest on every run the gate saw. Throws configuration_error when no run was made.
  result pooled() const;
};

gated_outcome gated_run(const scenario& s, const target& t, std::string_view suite, std::string_view test,
                        const gated_run_options& options = {},
                        const baseline_environment& env = baseline_environment::from_env());


}  // namespace loadgate
