// `loadgate compare A B`: the gate's statistical comparison of two results or baselines (B against
// A), for people; it decides nothing and exits 0.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/inputs.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate::cli {
namespace {

struct compare_flags {
  std::string before;
  std::string after;
  double threshold = gate_options{}.threshold();
};

int compare(const compare_flags& f) {
  const auto before = read_runs(f.before);
  const auto after = read_runs(f.after);
  // Each side counts as complete: another run of either is not on offer here.
  const auto options = gate_options{}.threshold(f.threshold).max_runs(after.size());
  const auto decision = decide(before, after, options);
  std::cout << f.after << " (" << after.size() << (after.size() == 1 ? " run" : " runs") << ") against " << f.before
            << " (" << before.size() << (before.size() == 1 ? " run" : " runs") << "):\n"
            << gate_table(decision, {colour_wanted(1)});
  for (const auto& v : decision.metrics)
    if (!v.note.empty()) std::cout << "  " << v.metric.label() << ": " << v.note << '\n';
  return exit_completed;
}

}  // namespace

action add_compare_command(CLI::App& app) {
  auto flags = std::make_shared<compare_flags>();
  CLI::App* command = app.add_subcommand("compare", "Compare two results or baselines: value, change with interval, verdict");
  command->add_option("before", flags->before, "The reference: a run folder, result.json or baseline file")
      ->required()
      ->check(CLI::ExistingPath);
  command->add_option("after", flags->after, "The one compared with it")->required()->check(CLI::ExistingPath);
  command->add_option("--threshold", flags->threshold, "Practical threshold, relative (default 0.10 = 10 %)");
  return [flags] { return compare(*flags); };
}

}  // namespace loadgate::cli
