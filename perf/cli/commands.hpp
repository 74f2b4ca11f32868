#pragma once
// The subcommands of `loadgate`. Each registers its options on the parser and returns the action
// that runs once the command line has been parsed; the action returns the exit code.
#include <functional>

#include <CLI/CLI.hpp>

namespace loadgate::cli {

using action = std::function<int()>;

action add_run_command(CLI::App& app);
action add_merge_command(CLI::App& app);
action add_report_command(CLI::App& app);
action add_baseline_command(CLI::App& app);
action add_gate_command(CLI::App& app);
action add_compare_command(CLI::App& app);
action add_matrix_command(CLI::App& app);
action add_capacity_command(CLI::App& app);

}  // namespace loadgate::cli
