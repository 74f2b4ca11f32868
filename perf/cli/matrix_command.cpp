// `loadgate matrix`: a scenario over the cartesian product of axes (replicas × users × any
// scenario field by its JSON path), one run folder per cell, matrix.csv/.md/.html with scaling
// efficiency and the best cell under the SLOs. Rerunning resumes: finished cells are kept.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/signal_stop.hpp"
#include "cli/specs.hpp"
#include "cli/target_flags.hpp"
#include "loadgate/error.hpp"
#include "loadgate/matrix_report.hpp"
#include "loadgate/progress_line.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/scenario_configuration.hpp"
#include "loadgate/scenario_file.hpp"

namespace loadgate::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct matrix_flags {
  target_flags service;  // URL, --insecure, --ca-file
  std::string scenario_file;
  std::vector<std::string> axes;
  std::string scale_command;
  std::vector<std::string> slos;
  std::string out;
  bool rerun = false;
  bool quiet = false;
};

struct axis {
  std::string name;
  std::vector<std::string> values;
};

// Names people type for the fields they vary most, and where those live in a scenario file.
std::string pointer_of(const std::string& name) {
  static const std::map<std::string, std::string> shorthands{
      {"users", "/load/users"}, {"rate", "/load/rate"}, {"spawn_rate", "/load/spawn_rate"},
      {"max_in_flight", "/load/max_in_flight"}, {"duration", "/duration_s"}, {"duration_s", "/duration_s"}};
  if (const auto s = shorthands.find(name); s != shorthands.end()) return s->second;
  std::string pointer;
  for (const char c : name) pointer += c == '.' ? '/' : c;
  return "/" + pointer;
}

axis parse_axis(const std::string& spec) {
  const auto equals = spec.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size())
    throw configuration_error{"--axis '" + spec + "': expected NAME=V1,V2,... (users=50,100 or tasks.0.max_new_tokens=16,64)"};
  axis a{spec.substr(0, equals), {}};
  for (std::size_t start = equals + 1;;) {
    const auto comma = spec.find(',', start);
    const auto value = spec.substr(start, comma - start);
    if (value.empty()) throw configuration_error{"--axis '" + spec + "': an empty value"};
    a.values.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return a;
}

// A value as JSON when it reads as JSON (numbers, true, "text"), else as a string.
json value_of(const std::string& text) {
  const auto parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(text) : parsed;
}

struct cell_plan {
  matrix_cell cell;
  scenario s;
  std::string replicas;  // empty without a replicas axis
};

// The cartesian product, replicas outermost so that the service is scaled once per value.
std::vector<cell_plan> plan_cells(const scenario& base, std::vector<axis> axes) {
  std::stable_partition(axes.begin(), axes.end(), [](const axis& a) { return a.name == matrix_replicas_axis; });
  const json base_json = base;
  std::vector<cell_plan> cells;
  std::vector<std::size_t> at(axes.size(), 0);
  while (true) {
    cell_plan p{{}, base, {}};
    json j = base_json;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const auto& value = axes[i].values[at[i]];
      p.cell.coordinates.emplace_back(axes[i].name, value);
      if (axes[i].name == matrix_replicas_axis) {
        p.replicas = value;
        continue;
      }
      const json::json_pointer pointer{pointer_of(axes[i].name)};
      if (!j.contains(pointer.parent_pointer()))
        throw configuration_error{"--axis " + axes[i].name + ": the scenario has no field " +
                                  pointer.parent_pointer().to_string() + " to set " + pointer.back() + " in"};
      j[pointer] = value_of(value);
    }
    try {
      p.s = scenario_from_json(j);
      p.s.validate();
    } catch (const configuration_error& e) {
      throw configuration_error{"cell " + p.cell.label() + ": " + e.what()};
    }
    cells.push_back(std::move(p));
    std::size_t i = axes.size();
    while (i > 0 && ++at[i - 1] == axes[i - 1].values.size()) at[--i] = 0;
    if (i == 0) return cells;
  }
}

std::string folder_name(const matrix_cell& c) {
  std::string name;
  for (const auto& [axis, value] : c.coordinates) name += (name.empty() ? "" : ",") + axis + "=" + value;
  for (auto& ch : name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '=' || ch == ',' || ch == '.' || ch == '-' || ch == '_')) ch = '_';
  return name;
}

// A cell that ran in an earlier invocation, with this very scenario: its result is kept. One that
// ran another scenario (the file was edited since) or whose result cannot be read runs again.
bool resumable(const fs::path& folder, const fs::path& cell_folder, const std::string& configuration, matrix_cell& c,
               const std::string& head) {
  try {
    if (!read_matrix_cell(folder, cell_folder, c)) return false;
  } catch (const std::exception& e) {
    std::cerr << head << ": the earlier run cannot be read (" << e.what() << "); running it again\n";
    c.result.reset();
    return false;
  }
  if (c.result->info.configuration == configuration) return true;
  std::cerr << head << ": ran earlier with another scenario or axes; running it again\n";
  c.ran = false;
  c.result.reset();
  c.folder.clear();
  return false;
}

// Runs the scale command for a replica count; "" on success, else why not.
std::string scale(const std::string& command, const std::string& replicas, const fs::path& log) {
  std::string line = command;
  for (std::size_t at; (at = line.find("{replicas}")) != std::string::npos;) line.replace(at, 10, replicas);
  const std::string shell = "(" + line + ") >'" + log.string() + "' 2>&1 </dev/null";
  const int status = system_with_signals(shell);
  if (status == 0) return {};
  std::ifstream in{log};
  std::string last, text;
  while (std::getline(in, text))
    if (!text.empty()) last = text;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return "the scale command for replicas=" + replicas + " exited " + std::to_string(code) +
         (last.empty() ? "" : ": " + last) + " (" + log.string() + ")";
}

int run_matrix(const matrix_flags& f) {
  const target where = parse_target(f.service);
  const scenario base = load_scenario_file(f.scenario_file);
  std::vector<slo> slos;  // read before anything is sent: a typo costs no run
  for (const auto& spec : f.slos) slos.push_back(parse_slo(spec));
  std::vector<axis> axes;
  for (const auto& spec : f.axes) axes.push_back(parse_axis(spec));
  std::vector<std::string> axis_names;
  for (const auto& a : axes) {
    if (std::find(axis_names.begin(), axis_names.end(), a.name) != axis_names.end())
      throw configuration_error{"--axis " + a.name + " is given twice"};
    axis_names.push_back(a.name);
  }
  const bool has_replicas = std::find(axis_names.begin(), axis_names.end(), matrix_replicas_axis) != axis_names.end();
  if (has_replicas && f.scale_command.empty())
    throw configuration_error{"--axis replicas needs --scale-cmd 'COMMAND {replicas}' (e.g. kubectl scale deploy/lorax "
                              "--replicas={replicas} && kubectl rollout status deploy/lorax)"};
  auto cells = plan_cells(base, axes);
  std::stable_partition(axis_names.begin(), axis_names.end(), [](const std::string& n) { return n == matrix_replicas_axis; });

  const fs::path folder = f.out.empty() ? fs::path{"results"} / ("matrix-" + base.name()) : fs::path{f.out};
  fs::create_directories(folder / "cells");
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  progress_printer printer{std::cerr, terminal};

  run_stop stop;
  const signal_stop signals{stop};  // before the first run starts its threads
  std::string scaled_to, scale_failure;
  std::size_t failed = 0;
  std::optional<std::size_t> interrupted_at;  // the cell a signal stopped
  const auto cell_folder_of = [&](const cell_plan& p) { return folder / "cells" / folder_name(p.cell); };
  const auto head_of = [&](std::size_t i) {
    return "[" + cells[i].cell.label() + "] cell " + std::to_string(i + 1) + "/" + std::to_string(cells.size());
  };
  const auto configuration_of = [](const cell_plan& p) {
    return scenario_configuration(p.s, {{"matrix", json(p.cell.coordinates)}}).dump();
  };
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (stop.stopped()) {  // came between cells: this one has not begun
      interrupted_at = i;
      break;
    }
    auto& [cell, s, replicas] = cells[i];
    const auto cell_folder = cell_folder_of(cells[i]);
    const auto head = head_of(i);
    const auto configuration = configuration_of(cells[i]);
    if (!f.rerun && resumable(folder, cell_folder, configuration, cell, head)) {
      for (const auto& one : slos) cell.slos.push_back(check(one, *cell.result));
      std::cerr << head << ": finished earlier, kept (--rerun runs it again)\n";
      continue;
    }
    if (!replicas.empty() && replicas != scaled_to) {
      std::cerr << head << ": scaling to " << replicas << " replicas\n";
      scale_failure = scale(f.scale_command, replicas, folder / ("scale-" + replicas + ".log"));
      scaled_to = replicas;
    }
    if (!replicas.empty() && !scale_failure.empty()) {
      cell.failure = scale_failure;
    } else {
      std::cerr << head << ": running " << s.name() << '\n';
      try {
        run_options options;
        if (!f.quiet) options.on_progress = [&printer](const progress& p) { printer.update(p); };
        options.stop = &stop;
        auto r = loadgate::run(s, where, options);
        printer.finish();
        r.info.configuration = configuration;
        run_evidence e{r, std::nullopt, std::nullopt, {}};
        for (const auto& one : slos) e.slos.push_back(check(one, r));
        const auto run_folder = create_numbered_folder(cell_folder);  // a rerun never overwrites a run
        write_run_folder(e, run_folder, {.step_summary = false});
        cell.folder = fs::relative(run_folder, folder).string();
        if (r.info.interrupted) {  // its folder is evidence; the cell runs again on resuming
          cell.failure = interruption_text(r.info);
          interrupted_at = i;
        } else {
          cell.slos = e.slos;
          cell.result = std::move(r);
          cell.ran = true;
        }
      } catch (const std::exception& e) {  // the cell is recorded as failed; the matrix goes on
        printer.finish();
        cell.failure = std::string{"the run failed: "} + e.what();
      }
    }
    write_matrix_cell(cell_folder, cell);
    if (interrupted_at) break;
    if (!cell.ran) {
      ++failed;
      std::cerr << head << ": FAILED: " << cell.failure << '\n';
    }
  }
  if (interrupted_at) {  // the cells after it keep what an earlier invocation finished
    for (std::size_t i = *interrupted_at + 1; i < cells.size(); ++i) {
      auto& c = cells[i];
      if (f.rerun || !resumable(folder, cell_folder_of(c), configuration_of(c), c.cell, head_of(i))) {
        c.cell.failure = "not run: the matrix was interrupted";
        continue;
      }
      for (const auto& one : slos) c.cell.slos.push_back(check(one, *c.cell.result));
    }
    if (cells[*interrupted_at].cell.failure.empty())  // stopped before it began
      cells[*interrupted_at].cell.failure = "not run: the matrix was interrupted";
  }

  std::vector<matrix_cell> done;
  for (auto& c : cells) done.push_back(std::move(c.cell));
  write_matrix_files(axis_names, done, folder);
  std::cout << matrix_markdown(axis_names, done) << "matrix: " << (folder / "matrix.md").string() << ", "
            << (folder / "matrix.html").string() << ", " << (folder / "matrix.csv").string() << '\n';
  if (interrupted_at) {
    std::cout << "matrix interrupted at cell " << *interrupted_at + 1 << "/" << cells.size() << ": run the same command "
              << "again to resume: finished cells are kept\n";
    return signals.exit_code();
  }
  return failed == 0 ? exit_completed : exit_regression;
}

}  // namespace

action add_matrix_command(CLI::App& app) {
  auto flags = std::make_shared<matrix_flags>();
  CLI::App* command = app.add_subcommand(
      "matrix", "Run a scenario over every combination of axes (replicas x users x any field); write matrix.csv/.md/.html");
  add_target_flags(*command, flags->service);
  command->add_option("--scenario", flags->scenario_file, "Scenario JSON file")->required();
  command->add_option("--axis", flags->axes,
                      "NAME=V1,V2,... repeatable: replicas, users, rate, duration, or a scenario field by its path "
                      "(tasks.0.max_new_tokens)")
      ->required();
  command->add_option("--scale-cmd", flags->scale_command,
                      "Run before each new replicas value, {replicas} replaced; must exit 0 (e.g. kubectl scale ... && "
                      "kubectl rollout status ...)");
  command->add_option("--slo", flags->slos, "An SLO each cell is checked against, repeatable; the best cell meets all");
  command->add_option("--out", flags->out, "The matrix folder (default ./results/matrix-<scenario name>); rerunning resumes");
  command->add_flag("--rerun", flags->rerun, "Run finished cells again (their earlier runs are kept)");
  command->add_flag("--quiet", flags->quiet, "No live progress line");
  return [flags] { return run_matrix(*flags); };
}

}  // namespace loadgate::cli
