// `loadgate baseline show FILE...` and `loadgate baseline diff OLD NEW`: stored baselines for
// people, and what moved between two of them (for example the committed one and a new one:
// `loadgate baseline diff <(git show main:baselines/default/X.json) baselines/default/X.json`).
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/inputs.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/gate/metric.hpp"

namespace loadgate::cli {
namespace {

void show(const baseline& b, const std::string& file) { std::cout << file << '\n' << format_baseline(b) << '\n'; }

// Paths of the configuration leaves that differ ("scenario.users: 24 → 32").
void configuration_changes(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
                           std::vector<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items())
      configuration_changes(value, b.contains(key) ? b.at(key) : nlohmann::json{}, path.empty() ? key : path + "." + key, out);
    for (const auto& [key, value] : b.items())
      if (!a.contains(key)) configuration_changes(nlohmann::json{}, value, path.empty() ? key : path + "." + key, out);
    return;
  }
  if (a != b) out.push_back(path + ": " + (a.is_null() ? "-" : a.dump()) + " → " + (b.is_null() ? "-" : b.dump()));
}

int show_all(const std::vector<std::string>& files) {
  for (const auto& f : files) show(read_baseline(f), f);
  return exit_completed;
}

// The baseline's scenario as a scenario file: `loadgate run URL --scenario` accepts it and runs the
// same load, and a baseline recorded from it has the same fingerprint.
int show_scenario(const std::string& file) {
  const auto b = read_baseline(file);
  const auto it = b.configuration.find("scenario");
  if (it == b.configuration.end())
    throw configuration_error{file + ": the baseline's configuration holds no scenario"};
  std::cout << it->dump(2) << '\n';
  return exit_completed;
}

int diff(const std::string& old_file, const std::string& new_file) {
  const auto old_baseline = read_baseline(old_file);
  const auto new_baseline = read_baseline(new_file);
  std::cout << old_baseline.scenario << ": " << old_file << " (" << old_baseline.created << ") → " << new_file << " ("
            << new_baseline.created << ")\n";
  if (old_baseline.fingerprint == new_baseline.fingerprint) {
    std::cout << "same configuration (" << new_baseline.fingerprint << ")\n";
  } else {
    std::vector<std::string> changes;
    configuration_changes(old_baseline.configuration, new_baseline.configuration, "", changes);
    std::cout << "configuration changed (" << old_baseline.fingerprint << " → " << new_baseline.fingerprint << "):\n";
    for (const auto& c : changes) std::cout << "  " << c << '\n';
  }
  std::cout << format_baseline_change(&old_baseline, new_baseline);
  return exit_completed;
}

// A baseline from stored results, for CI that gates without GoogleTest (`loadgate gate`): the
// results must share one configuration, which becomes the baseline's fingerprint.
int record(const std::string& file, const std::vector<std::string>& inputs) {
  std::vector<result> runs;
  for (const auto& input : inputs) {
    runs.push_back(read_run_result(input));
    require_judgeable(runs.back(), input);
  }
  const auto& configuration_text = runs.front().info.configuration;
  if (configuration_text == "null")
    throw configuration_error{inputs.front() + ": the result does not record its scenario's configuration; run it "
                              "with `loadgate run --scenario` to record a baseline from it"};
  for (std::size_t i = 1; i < runs.size(); ++i)
    if (runs[i].info.configuration != configuration_text)
      throw configuration_error{inputs[i] + " ran another configuration than " + inputs.front() +
                                ": a baseline holds repetitions of one scenario"};
  const auto configuration = nlohmann::json::parse(configuration_text);
  std::vector<metric> metrics;
  for (const auto& m : default_gated_metrics(runs.front())) metrics.push_back(m.metric);
  const auto env = baseline_environment::from_env();
  auto name = runs.front().info.scenario;
  const auto fresh = make_baseline(std::move(name), configuration, std::move(runs), metrics, env);
  write_baseline(fresh, file);
  std::cout << "wrote " << file << " from " << inputs.size() << (inputs.size() == 1 ? " run" : " runs")
            << " (the gate's calibration assumes 3)\n"
            << format_baseline(fresh) << '\n';
  return exit_completed;
}

}  // namespace

action add_baseline_command(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto pair = std::make_shared<std::vector<std::string>>();
  auto as_scenario = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("baseline", "Inspect stored baselines (baselines/<profile>/<suite>.<test>.json)");
  command->require_subcommand(1);
  CLI::App* show_command = command->add_subcommand("show", "Print a baseline's metrics, per run, and its provenance");
  show_command->add_option("files", *files, "Baseline files")->required()->check(CLI::ExistingFile);
  show_command->add_flag("--scenario", *as_scenario,
                         "Print the baseline's scenario as a scenario file for `loadgate run --scenario` (one file)");
  CLI::App* diff_command = command->add_subcommand("diff", "Old vs new per metric, and what changed in the configuration");
  diff_command->add_option("files", *pair, "OLD NEW baseline files")->required()->expected(2)->check(CLI::ExistingFile);
  auto record_args = std::make_shared<std::vector<std::string>>();
  auto record_file = std::make_shared<std::string>();
  CLI::App* record_command = command->add_subcommand("record", "Write a baseline from stored results (for loadgate gate)");
  record_command->add_option("file", *record_file, "The baseline file to write")->required();
  record_command->add_option("results", *record_args, "Run folders or result.json files: repetitions of one scenario")
      ->required()
      ->check(CLI::ExistingPath);
  return [command, show_command, record_command, files, pair, as_scenario, record_args, record_file] {
    if (command->got_subcommand(record_command)) return record(*record_file, *record_args);
    if (command->got_subcommand(show_command) && *as_scenario) {
      if (files->size() != 1) throw configuration_error{"baseline show --scenario takes one baseline file"};
      return show_scenario(files->front());
    }
    if (command->got_subcommand(show_command)) return show_all(*files);
    return diff((*pair)[0], (*pair)[1]);
  };
}

}  // namespace loadgate::cli
