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
#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
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
  return [command, show_command, files, pair, as_scenario] {
    if (command->got_subcommand(show_command) && *as_scenario) {
      if (files->size() != 1) throw configuration_error{"baseline show --scenario takes one baseline file"};
      return show_scenario(files->front());
    }
    if (command->got_subcommand(show_command)) return show_all(*files);
    return diff((*pair)[0], (*pair)[1]);
  };
}

}  // namespace loadgate::cli
