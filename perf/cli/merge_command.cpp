// `loadgate merge`: the shards of one run (or repetitions) into one result, exactly: histograms
// add, counts sum, and the windows line up because shards count time from their shared start.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/inputs.hpp"
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

// Every input names its file in the error, so that the one clear line says which shard to look at.
result merged_inputs(const std::vector<std::string>& inputs) {
  result merged;
  for (const auto& input : inputs) {
    try {
      merged.merge(read_run_result(input));
    } catch (const configuration_error& e) {
      throw configuration_error{input + ": " + e.what()};
    }
  }
  if (const auto missing = missing_shards(merged.info); !missing.empty()) {
    std::string names;
    for (const auto& s : missing) names += (names.empty() ? "" : ", ") + to_string(s);
    throw configuration_error{"shard" + std::string{missing.size() > 1 ? "s " : " "} + names +
                              " missing: merge every shard of the run, or the merged load is not the scenario's"};
  }
  return merged;
}

void print_shard_starts(const run_info& info) {
  if (info.shard_starts.empty()) return;
  std::cout << info.shard_starts.size() << " shards merged, begun after the shared start: " << skews_text(info.shard_starts)
            << (info.shared_start_unix_ms == 0 ? " (no --start-at: each counted from its own start)" : "") << '\n';
}

int merge(const merge_flags& f) {
  if (f.inputs.size() < 2) throw configuration_error("merge needs at least two results (run folders, result.json files or logs)");
  const result merged = merged_inputs(f.inputs);
  const auto folder = create_run_folder(f.out, f.name);
  write_run_folder({merged, std::nullopt, std::nullopt, {}}, folder);
  std::cout << summary_table(merged, {colour_wanted(1)});
  print_shard_starts(merged.info);
  std::cout << "result: " << (folder / "result.json").string() << "\nreport: " << (folder / "report.html").string() << '\n';
  return exit_completed;
}

}  // namespace

action add_merge_command(CLI::App& app) {
  auto flags = std::make_shared<merge_flags>();
  CLI::App* command = app.add_subcommand("merge", "Merge shard results into one result.json (exact: histograms add)");
  command->add_option("results", flags->inputs, "The shards' run folders, result.json files, or logs of --print-result")
      ->required()
      ->check(CLI::ExistingPath);
  command->add_option("--out", flags->out, "Folder for the merged run's folder (default ./results)");
  command->add_option("--name", flags->name, "Name of the merged run (default merged)");
  return [flags] { return merge(*flags); };
}

}  // namespace loadgate::cli
