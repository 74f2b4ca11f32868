// `loadgate gate --baseline FILE RESULT...`: the baseline gate on stored results, without
// GoogleTest, so any CI (and a merged distributed run) can gate. Exit codes: 0 passed,
// 1 regression, 4 inconclusive (run again and pass every result), 5 stale, 6 missing. A verdict
// that was reached (0, 1, 4) goes into the last result's folder as gate.json, beside the SLO
// checks already there, and its reports are written again.
#include <iostream>
#include <memory>
#include <system_error>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/inputs.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/fingerprint.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate::cli {
namespace fs = std::filesystem;
namespace {

struct gate_flags {
  std::string baseline_file;
  std::vector<std::string> results;
  std::size_t max_runs = gate_options{}.max_runs();
  double threshold = gate_options{}.threshold();
  bool write = true;
};

// The configuration a result was run with; a result that does not say cannot be checked for
// staleness, so it is refused rather than gated blind.
nlohmann::json configuration_of(const result& r, const std::string& file) {
  if (r.info.configuration == "null")
    throw configuration_error{file + ": the result does not record its scenario's configuration (it was written "
                              "by loadgate::run without one, or by an older loadgate), so it cannot be gated "
                              "against a baseline; run it with `loadgate run --scenario`"};
  return nlohmann::json::parse(r.info.configuration);
}

int gate(const gate_flags& f) {
  std::error_code ec;
  if (!fs::exists(f.baseline_file, ec)) {
    std::cout << "baseline gate: no baseline " << f.baseline_file << "; record one from results you trust with:\n"
              << "  loadgate baseline record " << f.baseline_file << " RESULT...\n";
    return exit_missing;
  }
  const auto stored = read_baseline(f.baseline_file);
  std::vector<result> runs;
  for (const auto& file : f.results) {
    runs.push_back(read_run_result(file));
    require_judgeable(runs.back(), file);
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto configuration = configuration_of(runs[i], f.results[i]);
    if (fingerprint(configuration) != stored.fingerprint) {
      std::cout << "baseline gate: the baseline " << f.baseline_file << " is stale: it was recorded for "
                << stored.fingerprint << ", " << f.results[i] << " ran " << fingerprint(configuration)
                << " (changed: " << changed_keys(stored.configuration, configuration) << ")\n"
                << "if the change is meant, record the baseline again: loadgate baseline record " << f.baseline_file
                << " RESULT...\n";
      return exit_stale;
    }
  }
  const auto options = gate_options{}.max_runs(f.max_runs).threshold(f.threshold);
  const auto decision = decide(stored, runs, options);
  const table_style style{colour_wanted(1)};
  const auto text = format_decision(decision);
  std::cout << text.substr(0, text.find('\n')) << '\n' << gate_table(decision, style);
  for (const auto& v : decision.metrics)
    if (!v.note.empty()) std::cout << "  " << v.metric.label() << ": " << v.note << '\n';

  if (f.write) {
    const auto last_folder = run_folder_of(f.results.back());
    auto evidence = read_run_folder(last_folder);  // keeps the SLO checks it holds
    evidence.gate = gate_record{baseline_action::compare, f.baseline_file, stored.fingerprint, stored.created,
                                runs.size(), decision, text};
    evidence.against = stored;
    write_run_folder(evidence, last_folder);
    std::cout << "evidence: " << (last_folder / "gate.json").string() << ", " << (last_folder / "report.html").string()
              << '\n';
  }
  if (decision.rerun()) {
    std::cout << "inconclusive: run the scenario again and pass every result, e.g. loadgate gate --baseline "
              << f.baseline_file << " RESULT... NEW_RESULT\n";
    return exit_inconclusive;
  }
  return decision.passed() ? exit_completed : exit_regression;
}

}  // namespace

action add_gate_command(CLI::App& app) {
  auto flags = std::make_shared<gate_flags>();
  CLI::App* command = app.add_subcommand(
      "gate", "Gate stored results against a baseline: exit 0 pass, 1 regression, 4 inconclusive, 5 stale, 6 missing");
  command->add_option("--baseline", flags->baseline_file, "The baseline file (baselines/<profile>/<Suite>.<Test>.json)")
      ->required();
  command->add_option("results", flags->results, "Run folders or result.json files of the same scenario, in run order")
      ->required()
      ->check(CLI::ExistingPath);
  command->add_option("--max-runs", flags->max_runs,
                      "Runs after which an inconclusive metric is decided (default " + std::to_string(flags->max_runs) + ")");
  command->add_option("--threshold", flags->threshold, "Practical threshold, relative (default 0.10 = 10 %)");
  command->add_flag("!--no-write", flags->write, "Do not write gate.json and the reports into the last result's folder");
  return [flags] { return gate(*flags); };
}

}  // namespace loadgate::cli
