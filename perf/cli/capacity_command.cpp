// `loadgate capacity`: the highest arrival rate (or user count) at which the target meets every
// SLO, with its bracket and the evidence of every point tried.
#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/specs.hpp"
#include "loadgate/capacity.hpp"
#include "loadgate/capacity_report.hpp"
#include "loadgate/error.hpp"
#include "loadgate/progress_line.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/scenario_configuration.hpp"
#include "loadgate/scenario_file.hpp"

namespace loadgate::cli {
namespace {

struct capacity_flags {
  std::string url;
  std::string scenario_file;
  std::vector<std::string> slos;
  std::string max_failure = "1%";
  std::string by;
  double start = 0;
  std::string precision = "5%";
  long long max_points = 16;
  long long max_runs = 3;
  std::string out = "results";
  bool insecure = false;
  bool quiet = false;
};

int find_capacity(const capacity_flags& f) {
  target where = target::parse(f.url);
  if (f.insecure) where.verify_certificates = false;
  const scenario s = load_scenario_file(f.scenario_file);
  std::vector<slo> slos;  // read before anything is sent: a typo costs no run
  for (const auto& spec : f.slos) slos.push_back(parse_slo(spec));
  capacity_options o;
  if (f.by == "rate") o.by = capacity_axis::rate;
  else if (f.by == "users") o.by = capacity_axis::users;
  else if (!f.by.empty()) throw configuration_error{"--by '" + f.by + "': expected rate or users"};
  o.start = f.start;
  o.precision = parse_percent(f.precision, "--precision");
  o.max_failure = parse_percent(f.max_failure, "--max-failure");
  if (f.max_points < 2) throw configuration_error{"--max-points must be at least 2"};
  if (f.max_runs < 1) throw configuration_error{"--max-runs must be at least 1"};
  o.max_points = static_cast<std::size_t>(f.max_points);
  o.max_runs_per_point = static_cast<std::size_t>(f.max_runs);

  // Made with the first point's evidence, so that a search that cannot start leaves no folder.
  std::filesystem::path folder;
  const auto capacity_folder = [&]() -> const std::filesystem::path& {
    if (folder.empty()) folder = create_run_folder(f.out, "capacity-" + s.name());
    return folder;
  };
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  progress_printer printer{std::cerr, terminal};
  o.log = [&printer](const std::string& line) {
    printer.finish();
    std::cerr << line << '\n';
  };
  o.runner = [&](const scenario& at, const target& t) {
    run_options options;
    if (!f.quiet) options.on_progress = [&printer](const progress& p) { printer.update(p); };
    auto r = loadgate::run(at, t, options);
    printer.finish();
    r.info.configuration = scenario_configuration(at).dump();
    return r;
  };
  // Every point keeps its last run's folder: the evidence table's rows.
  o.on_point = [&capacity_folder](capacity_point& p, const std::vector<result>& runs, std::size_t) {
    write_capacity_point(p, runs.back(), capacity_folder());
  };
  const auto found = capacity(s, slos, where, o);
  write_capacity_files(found, std::nullopt, capacity_folder());

  std::cout << capacity_text(found) << "evidence: " << (folder / "capacity.md").string() << '\n';
  return found.found ? exit_completed : exit_regression;
}

}  // namespace

action add_capacity_command(CLI::App& app) {
  auto flags = std::make_shared<capacity_flags>();
  CLI::App* command = app.add_subcommand(
      "capacity", "Find the highest arrival rate (or users) that meets every SLO: doubling, then bisection; write capacity.md");
  command->add_option("url", flags->url, "Target, e.g. http://127.0.0.1:8080")->required();
  command->add_option("--scenario", flags->scenario_file, "Scenario JSON file, without stages")->required();
  command->add_option("--slo", flags->slos, "An SLO every point must meet, repeatable: p95<500ms, ttft.p95<300ms")->required();
  command->add_option("--max-failure", flags->max_failure, "Failure rate beyond which a point is an overload (default 1%)");
  command->add_option("--by", flags->by, "rate (open model) or users (closed model); default: the scenario's model");
  command->add_option("--start", flags->start, "First load tried (default: the scenario's rate or users)");
  command->add_option("--precision", flags->precision, "Stop when the bracket is this narrow, relative (default 5%)");
  command->add_option("--max-points", flags->max_points, "Loads tried at most (default 16)");
  command->add_option("--max-runs", flags->max_runs, "Runs of one load when too close to call (default 3)");
  command->add_option("--out", flags->out, "Folder for the capacity folder (default ./results)");
  command->add_flag("--insecure", flags->insecure, "https: do not verify the server's certificate");
  command->add_flag("--quiet", flags->quiet, "No live progress line");
  return [flags] { return find_capacity(*flags); };
}

}  // namespace loadgate::cli
