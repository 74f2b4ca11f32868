#pragma once
// A stored baseline: baselines/<profile>/<suite>.<test>.json, schema loadgate.baseline v1
// (documented in perf/src/gate/README.md). It keeps every repetition's full result (histograms
// and one-second windows), so the gate estimates noise from data, and the metrics' values for
// reviewers. Written atomically with stable key order, so that diffs are reviewable.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgate/gate/capacity_estimate.hpp"
#include "loadgate/gate/metric.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

// One metric's figures in a baseline: for people and diffs; the gate recomputes them from `runs`.
struct baseline_metric {
  std::string label;                // "p95 latency (generate)"
  std::string unit;                 // "us", "fraction", "per_second"
  double value = 0;                 // over all repetitions pooled
  std::uint64_t samples = 0;
  std::vector<double> repetitions;  // one value per run

  bool operator==(const baseline_metric&) const = default;
};

struct baseline {
  static constexpr int schema_version = 2;

  std::string scenario;              // "<suite>.<test>"
  std::string fingerprint;           // fingerprint(configuration)
  nlohmann::json configuration;      // what the fingerprint covers, to explain a stale baseline
  std::string profile = "default";   // LOADGATE_PROFILE
  std::string created;               // ISO-8601 UTC, "2024-05-01T12:34:56Z"
  std::optional<std::string> git_commit;
  std::map<std::string, baseline_metric> metrics;  // by metric::key()
  std::vector<result> runs;          // every repetition, in order
  // A capacity scenario's capacity (loadgate::capacity); its runs are those of the highest load
  // that met the SLOs. Absent for other scenarios.
  std::optional<capacity_estimate> capacity;

  // The repetitions pooled: request histograms and counts added, durations and scrapes summed (so
  // that throughput is the mean rate), and every run's windows one after another, as the runs
  // were, with their users and server readings only (so that an SLO on the server's readings
  // sees all of them; the windows hold no tallies).
  result merged() const;

  bool operator==(const baseline&) const = default;
};

// Where the environment says baselines live and how to treat them.
struct baseline_environment {
  std::filesystem::path root = "baselines";  // LOADGATE_BASELINE_DIR
  std::string profile = "default";           // LOADGATE_PROFILE
  std::optional<std::string> git_commit;     // LOADGATE_GIT_COMMIT, else GITHUB_SHA
  bool ci = false;                           // CI set, and not "", "0" or "false"
  bool update = false;                       // LOADGATE_UPDATE_BASELINES set, and not "", "0" or "false"

  static baseline_environment from_env();
};

// Builds a baseline from the runs of one scenario, recording `metrics` for reviewers.
baseline make_baseline(std::string scenario, nlohmann::json configuration, std::vector<result> runs,
                       const std::vector<metric>& metrics, const baseline_environment& env,
                       std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

std::string iso8601_utc(std::chrono::system_clock::time_point t);

// <root>/<profile>/<suite>.<test>.json; characters outside [A-Za-z0-9._-] become '_' (gtest's
// parameterised names contain '/').
std::filesystem::path baseline_path(const baseline_environment& env, std::string_view suite, std::string_view test);

// The command that refreshes one scenario's baseline, for messages.
std::string update_command(std::string_view suite, std::string_view test);

// Pretty-printed (2 spaces, arrays of numbers on one line), keys sorted, ending in a newline:
// serialising twice gives the same bytes.
std::string to_text(const baseline& b);
void write_baseline(const baseline& b, const std::filesystem::path& file);  // creates folders; atomic
// Throws configuration_error naming the file: unreadable, not JSON, another schema or version.
baseline read_baseline(const std::filesystem::path& file);

void to_json(nlohmann::json& j, const baseline_metric& m);
void from_json(const nlohmann::json& j, baseline_metric& m);
void to_json(nlohmann::json& j, const baseline& b);
void from_json(const nlohmann::json& j, baseline& b);

// ---- what to do with a scenario's baseline -----------------------------------------------------

enum class baseline_action : std::uint8_t {
  compare,       // the baseline matches the scenario: gate against it
  create,        // none exists, not in CI: run, then write it (the test passes, saying so)
  update,        // update mode: run, then overwrite it (and print old vs new)
  fail_missing,  // none exists and CI is set: fail, with the command that creates it
  fail_stale,    // its fingerprint differs from the scenario's: fail, with the update command
};

// "compare", "create", "update", "missing", "stale".
std::string_view to_string(baseline_action a);

struct baseline_plan {
  baseline_action action = baseline_action::compare;
  std::filesystem::path path;
  std::optional<baseline> existing;  // when the file exists
  std::string message;               // for the fail_* actions, create and update: what and how
};

// The JSON paths whose values differ ("/scenario/load/users, /scenario/duration_s"), to say what
// made a baseline stale.
std::string changed_keys(const nlohmann::json& before, const nlohmann::json& now);

// Reads the baseline at baseline_path(env, suite, test), if any, and decides.
baseline_plan plan_baseline(const baseline_environment& env, std::string_view suite, std::string_view test,
                            const nlohmann::json& configuration);

}  // namespace loadgate
