// `loadgate merge`: the shards of one run (or repetitions of a run that was not split) into one
// result, exactly: histograms add, counts sum, and the windows line up because shards count time
// from their shared start.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/inputs.hpp"
#include "loadgate/duration_text.hpp"
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
    const auto one = read_run_result(input);  // its errors name the file already
    try {
      merged.merge(one);
    } catch (const configuration_error& e) {
      throw configuration_error{input + ": " + e.what()};
    }
  }
  if (const auto missing = missing_shards(merged.info); !missing.empty())
    throw configuration_error{"shard" + std::string{missing.size() > 1 ? "s " : " "} + to_string(missing) +
                              " missing: merge every shard of the run, or the merged load is not the scenario's"};
  return merged;
}

// Later than this, a shard's lateness shows in its first latencies (measured from the intended start).
constexpr auto worth_a_warning = std::chrono::milliseconds{100};

void print_shard_starts(const run_info& info) {
  if (info.shard_starts.empty()) return;
  if (info.shared_start_unix_ms == 0) {
    std::cout << info.shard_starts.size() << " shards merged; without --start-at each counted time from its own start\n";
    return;
  }
  std::cout << info.shard_starts.size() << " shards merged, begun after the shared start: " << skews_text(info.shard_starts) << '\n';
  for (const auto& s : info.shard_starts)
    if (s.skew > worth_a_warning)
      std::cout << "warning: shard " << to_string(s.shard) << " began " << format_duration(s.skew) << " late; what it missed went out late and counts in its latencies: give the shards a later --start-at\n";
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
