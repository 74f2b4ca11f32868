// `loadgate report RUN`: writes every file of a run folder again from its result.json (and
// gate.json): after an upgrade, after `loadgate merge`, or for a folder copied from CI.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/inputs.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate::cli {
namespace {

int report(const std::string& input, bool step_summary) {
  const auto folder = run_folder_of(input);
  const auto evidence = read_run_folder(folder);
  const auto files = write_run_folder(evidence, folder, {.step_summary = step_summary});
  const table_style style{colour_wanted(1)};
  std::cout << summary_table(evidence.current, style);
  if (evidence.gate && evidence.gate->decision) std::cout << '\n' << gate_table(*evidence.gate->decision, style);
  if (evidence.gate && evidence.gate->decision && !evidence.against)
    std::cout << "(the baseline " << evidence.gate->baseline_file.string()
              << " is gone or changed since: the report has no baseline overlays)\n";
  std::cout << "wrote " << files.size() << " files in " << folder.string() << ": " << (folder / "report.html").string()
            << '\n';
  return exit_completed;
}

}  // namespace

action add_report_command(CLI::App& app) {
  auto input = std::make_shared<std::string>();
  auto step_summary = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("report", "Write a run folder's reports again from its result.json and gate.json");
  command->add_option("run", *input, "A run folder or its result.json")->required()->check(CLI::ExistingPath);
  command->add_flag("--step-summary", *step_summary, "Also append summary.md to $GITHUB_STEP_SUMMARY");
  return [input, step_summary] { return report(*input, *step_summary); };
}

}  // namespace loadgate::cli
