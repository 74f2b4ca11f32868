// `loadgate report`: the summary table of a stored result.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate::cli {
namespace {

int report(const std::string& input) {
  std::cout << summary_table(read_result(input));
  return exit_completed;
}

}  // namespace

action add_report_command(CLI::App& app) {
  auto input = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("report", "Print the summary table of a result.json");
  command->add_option("result", *input, "A result.json file")->required()->check(CLI::ExistingFile);
  return [input] { return report(*input); };
}

}  // namespace loadgate::cli
