// The gate's quality against the simulator: how often a scenario run against its own baseline
// fails (false regressions), and how often a known slowdown is caught (detection), through the
// same gated_run() the perf suite uses, reruns included. Driven by gate_bench.sh, which starts
// the simulator and sets its slowdown between phases.
//
//   gate_bench record --target URL --baselines DIR            record the baseline (3 runs)
//   gate_bench trials --target URL --baselines DIR --trials N --label 1.10
// prints one line per trial and a summary line "label verdicts failed runs_per_verdict s_per_verdict".
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

#include "loadgate/llm/llm.hpp"
#include "loadgate/loadgate.hpp"
#include "loadgate/scenario_runner.hpp"

namespace {

using namespace std::chrono_literals;
using namespace loadgate;

// The suite's steady mixed-adapter shape, shortened. The seed stays 1, as in the perf suite: what
// varies between trials is timing, as between successive CI runs.
scenario bench_scenario() {
  const lorax::options generate{
      .max_new_tokens = 32,
      .adapters = llm::adapter_selection::zipf({{"loadgate/support-lora-v1", "hub", 16}, {"loadgate/support-lora-v2", "hub", 32},
                                                {"loadgate/sql-lora-v2", "hub", 16}, {"loadgate/classify-lora-v1", "hub", 16}},
                                               1.1)};
  return scenario{"gate_bench"}.users(24).spawn_rate(24).duration(10s).grace(1s).task(lorax::generate(generate));
}

struct arguments {
  std::string mode, target, baselines, label = "?";
  int trials = 30;
};

arguments parse(int argc, char** argv) {
  arguments a;
  if (argc > 1) a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--target") a.target = value;
    else if (key == "--baselines") a.baselines = value;
    else if (key == "--trials") a.trials = std::stoi(value);
    else if (key == "--label") a.label = value;
    else throw configuration_error{"unknown option " + key};
  }
  if ((a.mode != "record" && a.mode != "trials") || a.target.empty() || a.baselines.empty())
    throw configuration_error{"usage: gate_bench record|trials --target URL --baselines DIR [--trials N --label L]"};
  return a;
}

baseline_environment environment(const arguments& a, bool update) {
  baseline_environment env;
  env.root = a.baselines;
  env.update = update;
  return env;
}

gated_outcome gated(const arguments& a, const target& t, bool update) {
  return gated_run(bench_scenario(), t, "GateBench", "Steady", gated_run_options{}, environment(a, update));
}

int trials(const arguments& a, const target& t) {
  int failed = 0;
  std::size_t runs = 0;
  double seconds = 0;
  for (int i = 1; i <= a.trials; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = gated(a, t, false);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    failed += outcome.passed() ? 0 : 1;
    runs += outcome.runs.size();
    seconds += took;
    std::cout << "trial " << a.label << " " << i << ": " << (outcome.passed() ? "pass" : "FAIL") << ", "
              << outcome.runs.size() << " runs, " << std::fixed << std::setprecision(1) << took << " s\n";
    if (!outcome.passed() || i == 1) std::cout << outcome.message << '\n';
    std::cout.flush();
  }
  std::cout << "summary slowdown=" << a.label << " verdicts=" << a.trials << " gate_failed=" << failed
            << " runs_per_verdict=" << std::setprecision(2) << static_cast<double>(runs) / a.trials
            << " seconds_per_verdict=" << std::setprecision(1) << seconds / a.trials << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto a = parse(argc, argv);
    const auto t = target::parse(a.target);
    if (a.mode == "record") {
      const auto outcome = gated(a, t, true);
      std::cout << outcome.message << '\n';
      return outcome.passed() ? 0 : 1;
    }
    return trials(a, t);
  } catch (const std::exception& e) {
    std::cerr << "gate_bench: " << e.what() << '\n';
    return 2;
  }
}
