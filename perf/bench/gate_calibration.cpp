// Offline calibration of the baseline gate: many synthetic baseline / candidate pairs at known
// latency shifts, each taken through the full decide() loop with its reruns; prints the rate of
// failed gates (false regressions at shift 1.0, detections above), the runs per verdict and the
// time per verdict. See perf/src/gate/README.md (calibration) and gate_calibration.sh.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gate_synthetic_runs.hpp"
#include "loadgate/gate/gate.hpp"

using namespace loadgate;

namespace {

struct settings {
  int trials = 100;
  std::vector<double> shifts{1.0, 1.05, 1.10, 1.20};
  std::size_t baseline_runs = 3;
  bench::synthetic_model model;
  gate_options options;
  unsigned threads = 2;
};

struct outcome {
  bool failed = false;         // the gate failed the candidate (some metric regressed)
  bool p95_regression = false;
  bool throughput_regression = false;
  std::size_t runs = 0;
  double seconds_deciding = 0;  // decide() calls only, not the synthesis of runs
};

outcome trial(const settings& s, double shift, int index) {
  const std::uint64_t seed = 1'000'003ULL * static_cast<std::uint64_t>(index + 1);
  std::vector<result> base, current;
  for (std::size_t i = 0; i < s.baseline_runs; ++i) base.push_back(bench::synthetic_run(s.model, seed + i));
  auto candidate = s.model;
  candidate.shift = shift;
  outcome o;
  gate_decision d;
  do {
    current.push_back(bench::synthetic_run(candidate, seed + 500 + current.size()));
    const auto start = std::chrono::steady_clock::now();
    d = decide(base, current, s.options);
    o.seconds_deciding += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (d.rerun());
  o.failed = !d.passed();
  o.runs = current.size();
  for (const auto& v : d.metrics)
    if (v.verdict == verdict::regression) {
      if (v.metric == p95()) o.p95_regression = true;
      if (v.metric == throughput()) o.throughput_regression = true;
    }
  return o;
}

std::vector<outcome> run_trials(const settings& s, double shift) {
  std::vector<outcome> out(static_cast<std::size_t>(s.trials));
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < s.threads; ++t)
    workers.emplace_back([&] {
      for (int i; (i = next++) < s.trials;) out[static_cast<std::size_t>(i)] = trial(s, shift, i);
    });
  for (auto& w : workers) w.join();
  return out;
}

std::vector<double> parse_list(std::string_view text) {
  std::vector<double> values;
  for (std::size_t at = 0; at <= text.size();) {
    const auto comma = std::min(text.find(',', at), text.size());
    values.push_back(std::stod(std::string{text.substr(at, comma - at)}));
    at = comma + 1;
  }
  return values;
}

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--trials") s.trials = std::stoi(value);
    else if (flag == "--shifts") s.shifts = parse_list(value);
    else if (flag == "--baseline-runs") s.baseline_runs = std::stoul(value);
    else if (flag == "--drift") s.model.run_drift = std::stod(value);
    else if (flag == "--window-noise") s.model.window_noise = std::stod(value);
    else if (flag == "--seconds") s.model.seconds = std::stoi(value);
    else if (flag == "--rate") s.model.rate = std::stod(value);
    else if (flag == "--profile" && value == "spike") s.model.load_shape = bench::spike_shape();
    else if (flag == "--profile" && value == "steady") s.model.load_shape.clear();
    else if (flag == "--alpha") s.options.alpha(std::stod(value));
    else if (flag == "--max-runs") s.options.max_runs(std::stoul(value));
    else if (flag == "--decision-point") s.options.decision_point(std::stod(value));
    else if (flag == "--run-noise") s.options.run_noise(std::stod(value));
    else if (flag == "--threads") s.threads = static_cast<unsigned>(std::stoul(value));
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const auto s = parse(argc, argv);
  const bool spike = !s.model.load_shape.empty();
  std::printf("model: %.0f req/s, %s, lognormal sigma %.2f, run drift %.3f, window noise %.3f (AR %.1f)\n",
              s.model.rate, spike ? "spike profile (16 s: 10 % / 100 % / 10 % of the rate)" : (std::to_string(s.model.seconds) + " s steady runs").c_str(),
              s.model.sigma, s.model.run_drift, s.model.window_noise, s.model.window_correlation);
  std::printf("gate: alpha %.3f, threshold %.0f %%, max runs %zu, decision point %.2f, run noise floor %.3f; "
              "baseline of %zu runs; %d trials per shift\n",
              s.options.alpha(), s.options.threshold() * 100, s.options.max_runs(), s.options.decision_point(),
              s.options.run_noise(), s.baseline_runs, s.trials);
  std::printf("%-7s %-12s %-16s %-19s %-10s %-14s\n", "shift", "gate failed", "p95 regression", "throughput regr.",
              "runs/verd", "ms/verdict");
  for (const double shift : s.shifts) {
    const auto outcomes = run_trials(s, shift);
    int failed = 0, p95 = 0, throughput = 0;
    double runs = 0, seconds = 0;
    for (const auto& o : outcomes) {
      failed += o.failed, p95 += o.p95_regression, throughput += o.throughput_regression;
      runs += static_cast<double>(o.runs), seconds += o.seconds_deciding;
    }
    const double n = static_cast<double>(outcomes.size());
    std::printf("%-7.2f %4d/%-4d %5.1f%%  %4d  %5.1f%%     %4d  %5.1f%%        %-10.2f %-14.1f\n", shift, failed, s.trials,
                100 * failed / n, p95, 100 * p95 / n, throughput, 100 * throughput / n, runs / n, 1000 * seconds / n);
    std::fflush(stdout);
  }
  return 0;
}
