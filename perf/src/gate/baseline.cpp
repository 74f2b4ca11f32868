#include "loadgate/gate/baseline.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "detail/atomic_file.hpp"
#include "detail/environment.hpp"
#include "detail/json_text.hpp"
#include "detail/strict_json.hpp"
#include "loadgate/gate/gate_json.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/fingerprint.hpp"

namespace loadgate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view schema_name = "loadgate.baseline";

std::string safe(std::string_view name) {
  std::string out{name};
  for (auto& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

// Baseline files are files loadgate wrote: "malformed baseline: <what>" (detail/strict_json.hpp).
constexpr std::string_view where = "baseline";

[[noreturn]] void malformed(const std::string& what) { detail::malformed(where, what); }

const nlohmann::json& field(const nlohmann::json& j, const char* name) { return detail::field(j, where, name); }

}  // namespace

std::string changed_keys(const nlohmann::json& before, const nlohmann::json& now) {
  std::string out;
  for (const auto& op : nlohmann::json::diff(before, now)) {
    const auto path = op.value("path", std::string{});
    if (out.find(path) != std::string::npos) continue;
    out += (out.empty() ? "" : ", ") + (path.empty() ? std::string{"/"} : path);
    if (out.size() > 200) return out + ", ...";
  }
  return out;
}

std::string_view to_string(baseline_action a) {
  switch (a) {
    case baseline_action::compare: return "compare";
    case baseline_action::create: return "create";
    case baseline_action::update: return "update";
    case baseline_action::fail_missing: return "missing";
    case baseline_action::fail_stale: return "stale";
  }
  return "unknown";
}

result baseline::merged() const {
  result m;
  if (runs.empty()) return m;
  m.info = runs.front().info;
  m.info.planned_duration = {};
  m.info.measured_duration = {};
  m.info.scrapes = 0;
  m.info.scrape_failures = 0;
  for (const auto& r : runs) {
    // Runs one after another, not shards: each run's first sights were cold in that run.
    for (const auto& [key, t] : r.settled()) m.tallies[key].merge(t);
    m.info.planned_duration += r.info.planned_duration;
    m.info.measured_duration += r.info.measured_duration;
    m.info.scrapes += r.info.scrapes;
    m.info.scrape_failures += r.info.scrape_failures;
    // Their windows one after another, for what only windows hold: the server's readings, which
    // an SLO on the pooled runs reads (no two runs overlapped in time). Not their tallies, which
    // leave out each run's first sights, so that no windowed figure of the pool disagrees with
    // its totals.
    for (const auto& w : r.series.windows()) {
      auto& pooled = m.series.window(m.series.windows().size());
      pooled.active_users = w.active_users;
      pooled.server = w.server;
    }
  }
  return m;
}

baseline_environment baseline_environment::from_env() {
  baseline_environment e;
  using detail::env_flag;
  using detail::env_value;
  if (auto v = env_value("LOADGATE_BASELINE_DIR")) e.root = *v;
  if (auto v = env_value("LOADGATE_PROFILE")) e.profile = *v;
  e.git_commit = env_value("LOADGATE_GIT_COMMIT");
  if (!e.git_commit) e.git_commit = env_value("GITHUB_SHA");
  e.ci = env_flag("CI");
  e.update = env_flag("LOADGATE_UPDATE_BASELINES");
  return e;
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

baseline make_baseline(std::string scenario, nlohmann::json configuration, std::vector<result> runs,
                       const std::vector<metric>& metrics, const baseline_environment& env,
                       std::chrono::system_clock::time_point now) {
  for (std::size_t i = 0; i < runs.size(); ++i) require_judgeable(runs[i], "run " + std::to_string(i + 1));
  baseline b;
  b.scenario = std::move(scenario);
  b.fingerprint = fingerprint(configuration);
  b.configuration = std::move(configuration);
  b.profile = env.profile;
  b.created = iso8601_utc(now);
  b.git_commit = env.git_commit;
  b.runs = std::move(runs);
  const auto pooled = b.merged();
  for (const auto& m : metrics) {
    const auto o = observe(m, pooled);
    baseline_metric bm{m.label(), std::string{to_string(m.unit())}, o.value, o.samples, {}};
    for (const auto& r : b.runs) bm.repetitions.push_back(observe(m, r).value);
    b.metrics[m.key()] = std::move(bm);
  }
  return b;
}

fs::path baseline_path(const baseline_environment& env, std::string_view suite, std::string_view test) {
  return env.root / safe(env.profile) / (safe(suite) + "." + safe(test) + ".json");
}

std::string update_command(std::string_view suite, std::string_view test) {
  return "LOADGATE_UPDATE_BASELINES=1 ctest -L perf -R '^" + std::string{suite} + "\\." + std::string{test} +
         "$'  (then commit the baseline file)";
}

// ---- JSON ------------------------------------------------------------------------------------

void to_json(nlohmann::json& j, const baseline_metric& m) {
  j = nlohmann::json{{"label", m.label},
                     {"unit", m.unit},
                     {"value", m.value},
                     {"samples", m.samples},
                     {"repetitions", m.repetitions}};
}

void from_json(const nlohmann::json& j, baseline_metric& m) {
  try {
    m.label = field(j, "label").get<std::string>();
    m.unit = field(j, "unit").get<std::string>();
    m.value = field(j, "value").get<double>();
    m.samples = field(j, "samples").get<std::uint64_t>();
    m.repetitions = field(j, "repetitions").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    malformed(std::string{"metric: "} + e.what());
  }
}

void to_json(nlohmann::json& j, const baseline& b) {
  auto merged_tallies = tallies_to_json(b.merged().tallies);
  j = nlohmann::json{{"schema", schema_name},
                     {"schema_version", baseline::schema_version},
                     {"scenario", b.scenario},
                     {"fingerprint", b.fingerprint},
                     {"configuration", b.configuration},
                     {"profile", b.profile},
                     {"created", b.created},
                     {"git_commit", b.git_commit ? nlohmann::json(*b.git_commit) : nlohmann::json(nullptr)},
                     {"metrics", b.metrics},
                     {"merged_tallies", std::move(merged_tallies)},
                     {"runs", b.runs}};
  if (b.capacity) j["capacity"] = *b.capacity;
}

void from_json(const nlohmann::json& j, baseline& out) {
  const auto& schema = field(j, "schema");
  if (schema != schema_name) malformed("'schema' is " + schema.dump() + ", expected \"loadgate.baseline\"");
  const auto& version = field(j, "schema_version");
  if (version == 1) {
    // Version 1 windows held overall latency and failures only; what version 2 gates per window
    // (TTFT, per name, per adapter) was never recorded, so it cannot be converted.
    const auto scenario = j.value("scenario", std::string{"Suite.Test"});
    const auto dot = scenario.find('.');
    throw configuration_error{
        "this is a version-1 baseline (loadgate before December 2026), whose runs lack the per-window figures this "
        "loadgate gates on; re-record it: " +
        update_command(scenario.substr(0, dot), dot == std::string::npos ? "" : scenario.substr(dot + 1))};
  }
  if (version != baseline::schema_version)
    throw configuration_error{"baseline schema_version " + version.dump() +
                              " is not supported: this loadgate reads schema_version " +
                              std::to_string(baseline::schema_version) + "; re-create the baseline"};
  baseline b;
  try {
    b.scenario = field(j, "scenario").get<std::string>();
    b.fingerprint = field(j, "fingerprint").get<std::string>();
    b.configuration = field(j, "configuration");
    b.profile = field(j, "profile").get<std::string>();
    b.created = field(j, "created").get<std::string>();
    if (const auto& c = field(j, "git_commit"); !c.is_null()) b.git_commit = c.get<std::string>();
    b.metrics = field(j, "metrics").get<std::map<std::string, baseline_metric>>();
    b.runs = field(j, "runs").get<std::vector<result>>();
    if (const auto c = j.find("capacity"); c != j.end()) {
      try {
        b.capacity = c->get<capacity_estimate>();
      } catch (const std::runtime_error& e) {  // an unknown axis or outcome name
        malformed(std::string{"capacity: "} + e.what());
      }
    }
  } catch (const nlohmann::json::exception& e) {
    malformed(e.what());
  }
  if (b.runs.empty()) malformed("'runs' is empty: a baseline needs at least one run");
  // merged_tallies is derived from runs; it is stored for tools and readers, not trusted.
  out = std::move(b);
}

std::string to_text(const baseline& b) { return detail::readable_json(nlohmann::json(b)); }

void write_baseline(const baseline& b, const fs::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
  if (ec) throw configuration_error{"cannot create " + file.parent_path().string() + ": " + ec.message()};
  detail::write_file_atomically(file, to_text(b));
}

baseline read_baseline(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) throw configuration_error{"cannot read the baseline " + file.string()};
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str()).get<baseline>();
  } catch (const nlohmann::json::parse_error& e) {
    throw configuration_error{"the baseline " + file.string() + " is not JSON: " + e.what()};
  } catch (const configuration_error& e) {
    throw configuration_error{file.string() + ": " + e.what()};
  }
}

// ---- plan ------------------------------------------------------------------------------------

baseline_plan plan_baseline(const baseline_environment& env, std::string_view suite, std::string_view test,
                            const nlohmann::json& configuration) {
  baseline_plan p;
  p.path = baseline_path(env, suite, test);
  const bool exists = fs::exists(p.path);
  const auto command = update_command(suite, test);
  if (env.update) {
    // Updating is also how an unreadable baseline (an older schema) is replaced: its reading may
    // fail, and then there is no old-vs-new table, only the reason.
    std::string unreadable;
    try {
      if (exists) p.existing = read_baseline(p.path);
    } catch (const configuration_error& e) {
      unreadable = std::string{"; the old one cannot be read ("} + e.what() + ")";
    }
    p.action = baseline_action::update;
    p.message = (exists ? "updating the baseline " : "creating the baseline ") + p.path.string() +
                " (LOADGATE_UPDATE_BASELINES is set)" + unreadable;
    return p;
  }
  if (exists) p.existing = read_baseline(p.path);
  if (!exists) {
    p.action = env.ci ? baseline_action::fail_missing : baseline_action::create;
    p.message = env.ci ? "no baseline " + p.path.string() + " for profile '" + env.profile +
                             "' (CI is set, so a missing baseline fails); create it with: " + command
                       : "no baseline " + p.path.string() + " yet: creating it from this run; commit it";
    return p;
  }
  const auto now = fingerprint(configuration);
  if (p.existing->fingerprint != now) {
    p.action = baseline_action::fail_stale;
    p.message = "the baseline " + p.path.string() + " is stale: it was recorded for configuration " +
                p.existing->fingerprint + ", the scenario is now " + now + " (changed: " +
                changed_keys(p.existing->configuration, configuration) + "); if the change is meant, update it with: " +
                command;
    return p;
  }
  p.action = baseline_action::compare;
  return p;
}

}  // namespace loadgate
