// `loadgate capacity`: the highest arrival rate (or user count) at which the target meets every
// SLO, with its bracket and the evidence of every point tried.
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/signal_stop.hpp"
#include "cli/specs.hpp"
#include "cli/target_flags.hpp"
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
  target_flags service;  // URL, --insecure, --ca-file
  std::string scenario_file;
  std::vector<std::string> slos;
  std::string max_failure = "1%";
  std::string by;
  double start = 0;
  std::string precision = "5%";
  long long max_points = 16;
  long long max_runs = 3;
  std::string out = "results";
  std::string resume;
  bool quiet = false;
};

// Every run of a search is kept whole in <capacity folder>/runs/<n>/result.json, in the order it
// ran, so that an interrupted search can be resumed from them.
constexpr const char* runs_folder = "runs";

// The runs an earlier search kept, by the configuration each ran, in the order they ran. The
// search is deterministic given its runs' results, so replaying them in order walks the same
// points, and it goes on where the earlier one stopped.
std::map<std::string, std::deque<result>> kept_runs(const std::filesystem::path& earlier, const target& where) {
  const auto folder = earlier / runs_folder;
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw configuration_error{"--resume " + earlier.string() + ": no " + runs_folder + "/ folder in it; give the "
                              "capacity folder an earlier `loadgate capacity` printed (evidence: .../capacity.md)"};
  std::vector<std::pair<unsigned long, std::filesystem::path>> numbered;
  for (const auto& entry : std::filesystem::directory_iterator{folder}) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::filesystem::exists(entry.path() / "result.json")) numbered.emplace_back(std::stoul(name), entry.path());
  }
  std::sort(numbered.begin(), numbered.end());
  std::map<std::string, std::deque<result>> kept;
  for (const auto& [number, path] : numbered) {
    auto r = read_result(path / "result.json");
    if (r.info.target != where.url())
      throw configuration_error{"--resume " + earlier.string() + ": its runs measured " + r.info.target + ", not " +
                                where.url() + "; resume against the same target, or start a new search"};
    if (r.info.interrupted) continue;  // ran again
    const auto configuration = r.info.configuration;
    kept[configuration].push_back(std::move(r));
  }
  return kept;
}

int find_capacity(const capacity_flags& f) {
  const target where = parse_target(f.service);
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

  auto kept = f.resume.empty() ? std::map<std::string, std::deque<result>>{} : kept_runs(f.resume, where);
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
  run_stop stop;
  const signal_stop signals{stop};  // before the first run starts its threads
  o.runner = [&](const scenario& at, const target& t) {
    const auto configuration = scenario_configuration(at).dump();
    result r;
    if (auto earlier = kept.find(configuration); earlier != kept.end() && !earlier->second.empty()) {
      r = std::move(earlier->second.front());
      earlier->second.pop_front();
      std::cerr << "  kept from " << f.resume << " (not run again)\n";
    } else {
      run_options options;
      if (!f.quiet) options.on_progress = [&printer](const progress& p) { printer.update(p); };
      options.stop = &stop;
      r = loadgate::run(at, t, options);
      printer.finish();
      r.info.configuration = configuration;
    }
    write_run_folder({r, std::nullopt, std::nullopt, {}}, create_numbered_folder(capacity_folder() / runs_folder),
                     {.step_summary = false});
    return r;
  };
  o.stop = &stop;
  // Every point keeps its last run's folder: the evidence table's rows.
  o.on_point = [&capacity_folder](capacity_point& p, const std::vector<result>& runs, std::size_t) {
    write_capacity_point(p, runs.back(), capacity_folder());
  };
  const auto found = capacity(s, slos, where, o);
  if (found.points.empty() && stop.stopped()) {  // at the first point: there is no estimate to write
    std::cout << "capacity search stopped at its first point (" << found.note << "): resume it with the same command "
              << "and --resume " << capacity_folder().string() << '\n';
    return signals.exit_code();
  }
  write_capacity_files(found, std::nullopt, capacity_folder());

  std::cout << capacity_text(found) << "evidence: " << (folder / "capacity.md").string() << '\n';
  if (stop.stopped()) {
    std::cout << "capacity search interrupted: resume it with the same command and --resume " << folder.string()
              << " (its runs are kept, not run again)\n";
    return signals.exit_code();
  }
  return found.found ? exit_completed : exit_regression;
}

}  // namespace

action add_capacity_command(CLI::App& app) {
  auto flags = std::make_shared<capacity_flags>();
  CLI::App* command = app.add_subcommand(
      "capacity", "Find the highest arrival rate (or users) that meets every SLO: doubling, then bisection; write capacity.md");
  add_target_flags(*command, flags->service);
  command->add_option("--scenario", flags->scenario_file, "Scenario JSON file, without stages")->required();
  command->add_option("--slo", flags->slos, "An SLO every point must meet, repeatable: p95<500ms, ttft.p95<300ms")->required();
  command->add_option("--max-failure", flags->max_failure, "Failure rate beyond which a point is an overload (default 1%)");
  command->add_option("--by", flags->by, "rate (open model) or users (closed model); default: the scenario's model");
  command->add_option("--start", flags->start, "First load tried (default: the scenario's rate or users)");
  command->add_option("--precision", flags->precision, "Stop when the bracket is this narrow, relative (default 5%)");
  command->add_option("--max-points", flags->max_points, "Loads tried at most (default 16)");
  command->add_option("--max-runs", flags->max_runs, "Runs of one load when too close to call (default 3)");
  command->add_option("--out", flags->out, "Folder for the capacity folder (default ./results)");
  command->add_option("--resume", flags->resume,
                      "An earlier, interrupted search's capacity folder: its runs are kept, the search goes on in a new folder");
  command->add_flag("--quiet", flags->quiet, "No live progress line");
  return [flags] { return find_capacity(*flags); };
}

}  // namespace loadgate::cli
