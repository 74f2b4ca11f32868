// loadgate: run load, merge shards, report, compare and gate results, inspect baselines.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "loadgate/error.hpp"

int main(int argc, char** argv) {
  namespace cli = loadgate::cli;
  CLI::App app{"loadgate: load scenarios, exact percentiles and regression gates for multi-LoRA LLM services"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "loadgate 0.1.0");
  const cli::action run = cli::add_run_command(app);
  const cli::action merge = cli::add_merge_command(app);
  const cli::action report = cli::add_report_command(app);
  const cli::action baseline = cli::add_baseline_command(app);
  const cli::action gate = cli::add_gate_command(app);
  const cli::action compare = cli::add_compare_command(app);
  const cli::action matrix = cli::add_matrix_command(app);
  const cli::action capacity = cli::add_capacity_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help and version through the same path; those are successes.
    const int code = app.exit(e);
    return code == 0 ? cli::exit_completed : cli::exit_configuration;
  }
  try {
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("merge")) return merge();
    if (app.got_subcommand("report")) return report();
    if (app.got_subcommand("baseline")) return baseline();
    if (app.got_subcommand("gate")) return gate();
    if (app.got_subcommand("compare")) return compare();
    if (app.got_subcommand("matrix")) return matrix();
    if (app.got_subcommand("capacity")) return capacity();
  } catch (const loadgate::configuration_error& e) {
    std::cerr << "loadgate: " << e.what() << '\n';
    return cli::exit_configuration;
  } catch (const loadgate::start_error& e) {
    std::cerr << "loadgate: the run could not start: " << e.what() << '\n';
    return cli::exit_cannot_start;
  } catch (const std::exception& e) {
    std::cerr << "loadgate: internal error: " << e.what() << '\n';
    return cli::exit_internal_error;
  }
  return cli::exit_internal_error;
}
