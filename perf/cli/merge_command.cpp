// `loadgate merge`: shards of one run (or repetitions) into one result, exactly: histograms add.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "loadgate/error.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate::cli {
namespace {

struct merge_flags {
  std::vector<std::string> inputs;
  std::string out = "results";
  std::string name = "merged";
};

int merge(const merge_flags& f) {
  if (f.inputs.size() < 2) throw configuration_error("merge needs at least two result.json files");
  result merged = read_result(f.inputs.front());
  for (std::size_t i = 1; i < f.inputs.size(); ++i) merged.merge(read_result(f.inputs[i]));
  const auto folder = create_run_folder(f.out, f.name);
  write_run_folder({merged, std::nullopt, std::nullopt, {}}, folder);
  std::cout << summary_table(merged, {colour_wanted(1)}) << "result: " << (folder / "result.json").string()
            << "\nreport: " << (folder / "report.html").string() << '\n';
  return exit_completed;
}

}  // namespace

action add_merge_command(CLI::App& app) {
  auto flags = std::make_shared<merge_flags>();
  CLI::App* command = app.add_subcommand("merge", "Merge shard results into one result.json (exact: histograms add)");
  command->add_option("results", flags->inputs, "result.json files of the shards")->required()->check(CLI::ExistingFile);
  command->add_option("--out", flags->out, "Folder for the merged run's folder (default ./results)");
  command->add_option("--name", flags->name, "Name of the merged run (default merged)");
  return [flags] { return merge(*flags); };
}

}  // namespace loadgate::cli
