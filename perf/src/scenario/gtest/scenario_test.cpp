#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>

#include "loadgate/capacity_report.hpp"
#include "loadgate/dialect_detection.hpp"
#include "loadgate/duration_text.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "loadgate/gtest.hpp"
#include "loadgate/markdown_summary.hpp"
#include "loadgate/metrics_endpoint.hpp"
#include "loadgate/run.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/scenario_file.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate {
namespace {

void log_line(const std::string& line) { std::cout << "[ loadgate  ] " << line << std::endl; }

// LOADGATE_RUNS_DIR (loadgate_add_scenarios sets <build>/loadgate/runs), else loadgate/runs in
// the working directory.
std::filesystem::path runs_root() {
  const char* dir = std::getenv("LOADGATE_RUNS_DIR");
  return dir && *dir ? std::filesystem::path{dir} : std::filesystem::path{"loadgate/runs"};
}

// "Suite.Test", with the '/' of parameterised names made safe for a folder name.
std::string test_folder_name(const ::testing::TestInfo& info) {
  std::string name = std::string{info.test_suite_name()} + "." + info.name();
  for (auto& c : name)
    if (c == '/' || c == '\\') c = '_';
  return name;
}

gate_record record_of(const gated_outcome& o, std::size_t index) {
  gate_record g;
  g.action = o.action;
  g.baseline_file = o.baseline_file;
  if (o.compared_with) {
    g.baseline_fingerprint = o.compared_with->fingerprint;
    g.baseline_created = o.compared_with->created;
  }
  g.run = index + 1;
  // Each run's folder says what the gate knew after that run.
  if (index < o.decisions.size()) g.decision = o.decisions[index];
  g.message = g.decision && index + 1 < o.decisions.size() ? format_decision(*g.decision) : o.message;
  return g;
}

// Every run of the outcome gets its own numbered folder with all the files of a run folder; the
// last one (with the final decision) goes to the job summary. Returns the last folder.
std::filesystem::path keep_runs(gated_outcome& outcome, const ::testing::TestInfo& info) {
  const auto parent = runs_root() / test_folder_name(info);
  std::filesystem::path last;
  for (std::size_t i = 0; i < outcome.runs.size(); ++i) {
    run_evidence e{outcome.runs[i], record_of(outcome, i), outcome.compared_with, {}};
    last = create_numbered_folder(parent);
    write_run_folder(e, last, {.step_summary = i + 1 == outcome.runs.size()});
  }
  if (outcome.runs.empty()) {  // missing or stale: no run, but the verdict is still evidence
    run_evidence e{result{}, record_of(outcome, 0), std::nullopt, {}};
    e.current.info.scenario = test_folder_name(info);
    last = create_numbered_folder(parent);
    write_gate_file(e, last);
    return last;
  }
  // The SLO checks arrive later, from the test's matchers, and join the last run's evidence. A
  // matcher may be evaluated more than once (gmock explains a failure by matching again): a check
  // of an SLO already kept replaces it.
  auto kept = std::make_shared<run_evidence>(
      run_evidence{outcome.runs.back(), record_of(outcome, outcome.runs.size() - 1), outcome.compared_with, {}});
  outcome.on_slo_checks = [kept, last](const std::vector<slo_check>& checks) {
    std::vector<slo_check> added;
    for (const auto& c : checks) {
      const auto same = std::find_if(kept->slos.begin(), kept->slos.end(), [&](const slo_check& k) {
        return k.slo.metric == c.slo.metric && k.slo.op == c.slo.op && k.slo.limit == c.slo.limit;
      });
      if (same != kept->slos.end()) {
        *same = c;
      } else {
        kept->slos.push_back(c);
        added.push_back(c);
      }
    }
    try {
      write_run_folder(*kept, last, {.step_summary = false});
      if (!added.empty()) append_step_summary(markdown_slo_summary({kept->current, std::nullopt, std::nullopt, added}));
    } catch (const std::exception& e) {
      log_line(std::string{"the SLO checks could not be added to the evidence: "} + e.what());
    }
  };
  return last;
}

// The scenario as LOADGATE_DIALECT has its dialect-neutral and OpenAI-route tasks speak; a
// scenario without such tasks runs as it is (a plain HTTP one is right against any server).
scenario spoken_scenario(const scenario& s, const target& t) {
  if (!has_dialect_tasks(s)) return s;  // before asking the target: auto would ask a non-LLM one
  const auto found = dialect_from_env(t);
  if (!found) return s;
  log_line("dialect: " + std::string{llm::to_string(found->dialect)} + " (" + found->evidence + ")");
  return with_dialect(s, found->dialect);
}

// How each run is made when the test names no runner of its own: with the server's metrics
// scraped as LOADGATE_SCRAPE has it (by default the target's /metrics, for LLM tasks), planned
// at the first run for all of a test's runs (a missing or stale baseline makes none, and asks
// nothing).
std::function<result(const scenario&, const target&)> default_runner(const scenario& s, const target& t, run_stop* stop) {
  auto plan = std::make_shared<std::optional<std::optional<llm::scrape_options>>>();
  return [plan, s, t, stop](const scenario& each, const target& where) {
    if (!*plan) {
      *plan = scrape_from_env(s, t);
      if (const auto& scrape = **plan)
        log_line("server metrics: " + scrape->source.url() + " every " + format_duration(scrape->interval));
    }
    return loadgate::run(each, where, {.stop = stop, .scrape = **plan});
  };
}

}  // namespace

void scenario_test::SetUp() {
  try {
    target_ = target_from_env(service());
  } catch (const unreachable_target& e) {
    // A skip reads as a pass in CTest: only when the user asked for it.
    if (skip_unreachable_requested()) GTEST_SKIP() << e.what();
    FAIL() << e.what();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
}

void PrintTo(const result& r, std::ostream* os) {
  const auto total = r.total();
  *os << "the result of '" << r.info.scenario << "': " << total.count() << " requests, " << total.failures() << " failed";
}

void PrintTo(const gated_outcome& o, std::ostream* os) {
  *os << "a gated run (baseline " << to_string(o.action) << ", " << o.runs.size() << " runs)";
}

gated_outcome gated_run(const scenario& s, const target& t, gated_run_options options) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) throw configuration_error{"loadgate::gated_run(scenario, target) must be called inside a test"};
  if (!options.log()) options.log(log_line);
  const auto spoken = spoken_scenario(s, t);
  if (!options.runner()) options.runner(default_runner(spoken, t, nullptr));
  auto outcome = gated_run(spoken, t, info->test_suite_name(), info->name(), options);
  // The evidence is a courtesy to the reader: failing to write it must not lose the verdict.
  try {
    outcome.evidence = keep_runs(outcome, *info);
    log_line("evidence: " + (outcome.evidence / (outcome.ran() ? "report.html" : "gate.json")).string());
    ::testing::Test::RecordProperty("loadgate_evidence", outcome.evidence.string());
  } catch (const std::exception& e) {
    log_line(std::string{"the run's evidence could not be written: "} + e.what());
  }
  if (outcome.ran()) std::cout << summary_table(outcome.runs.back(), {colour_wanted(1)});
  ::testing::Test::RecordProperty("loadgate_baseline", outcome.baseline_file.string());
  ::testing::Test::RecordProperty("loadgate_action", std::string{to_string(outcome.action)});
  ::testing::Test::RecordProperty("loadgate_runs", static_cast<int>(outcome.runs.size()));
  return outcome;
}

gated_outcome expect_no_regression(const scenario& s, const target& t, gated_run_options options) {
  auto outcome = gated_run(s, t, std::move(options));
  if (outcome.passed()) {
    std::cout << outcome.message << std::endl;
  } else {
    if (outcome.evidence.empty()) {
      ADD_FAILURE() << outcome.message;
    } else {
      ADD_FAILURE() << outcome.message << "\nevidence: " << (outcome.evidence / "gate.json").string()
                    << (outcome.ran() ? ", " + (outcome.evidence / "report.html").string() : std::string{});
    }
  }
  return outcome;
}

gated_capacity_outcome expect_no_capacity_regression(const scenario& s, const std::vector<slo>& slos, const target& t,
                                                     gated_capacity_options options) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) throw configuration_error{"loadgate::expect_no_capacity_regression must be called inside a test"};
  if (!options.search.log) options.search.log = log_line;
  std::filesystem::path folder;  // created with the first point, so that a refused baseline leaves none
  const auto keep_point = [&, forward = options.search.on_point](capacity_point& p, const std::vector<result>& runs,
                                                                 std::size_t i) {
    try {
      if (folder.empty()) folder = create_numbered_folder(runs_root() / test_folder_name(*info));
      write_capacity_point(p, runs.back(), folder);
    } catch (const std::exception& e) {
      log_line(std::string{"a capacity point's evidence could not be written: "} + e.what());
    }
    if (forward) forward(p, runs, i);
  };
  options.search.on_point = keep_point;
  const auto spoken = spoken_scenario(s, t);
  if (!options.search.runner) options.search.runner = default_runner(spoken, t, options.search.stop);
  auto outcome = gated_capacity(spoken, slos, t, info->test_suite_name(), info->name(), options);
  std::string evidence;
  if (outcome.found && !folder.empty()) {
    try {
      write_capacity_files(*outcome.found, outcome.comparison, folder);
      evidence = (folder / "capacity.md").string();
      append_step_summary(capacity_markdown(*outcome.found, outcome.comparison));
      ::testing::Test::RecordProperty("loadgate_evidence", folder.string());
    } catch (const std::exception& e) {
      log_line(std::string{"the capacity evidence could not be written: "} + e.what());
    }
  }
  ::testing::Test::RecordProperty("loadgate_baseline", outcome.baseline_file.string());
  ::testing::Test::RecordProperty("loadgate_action", std::string{to_string(outcome.action)});
  if (outcome.passed()) {
    std::cout << outcome.message << std::endl;
  } else {
    ADD_FAILURE() << outcome.message << (evidence.empty() ? "" : "\nevidence: " + evidence);
  }
  return outcome;
}

}  // namespace loadgate
