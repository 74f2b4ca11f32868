#include "loadgate/result.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "stats/json_read.hpp"

namespace loadgate {

request_stats result::total() const {
  request_stats all;
  for (const auto& [name, stats] : requests) all.merge(stats);
  return all;
}

double result::requests_per_second() const {
  const double seconds = std::chrono::duration<double>(info.measured_duration).count();
  return seconds > 0 ? static_cast<double>(total().count()) / seconds : 0.0;
}

namespace {

double seconds_of(const run_info& info) { return std::chrono::duration<double>(info.measured_duration).count(); }

// Sums `figure` over the LLM statistics of one request name, or of all of them.
template <class F>
double llm_sum(const std::map<std::string, llm::llm_stats>& all, const std::string& name, F figure) {
  double sum = 0;
  for (const auto& [n, s] : all)
    if (name.empty() || n == name) sum += static_cast<double>(figure(s));
  return sum;
}

}  // namespace

double result::goodput(const std::string& request_name) const {
  const double seconds = seconds_of(info);
  return seconds > 0 ? llm_sum(llm, request_name, [](const auto& s) { return s.met_slo(); }) / seconds : 0.0;
}

double result::output_tokens_per_second(const std::string& request_name) const {
  const double seconds = seconds_of(info);
  return seconds > 0 ? llm_sum(llm, request_name, [](const auto& s) { return s.output_tokens_total(); }) / seconds
                     : 0.0;
}

double result::llm_requests_per_second(const std::string& request_name) const {
  const double seconds = seconds_of(info);
  return seconds > 0
             ? llm_sum(llm, request_name, [](const auto& s) { return s.successes() + s.failures(); }) / seconds
             : 0.0;
}

namespace {

void merge_info(run_info& into, const run_info& from) {
  if (!into.scenario.empty() && !from.scenario.empty()) {
    if (into.scenario != from.scenario)
      throw configuration_error{"cannot merge results of different scenarios '" + into.scenario + "' and '" +
                                from.scenario + "'"};
    if (into.model != from.model)
      throw configuration_error{"cannot merge a closed-model and an open-model result of scenario '" +
                                into.scenario + "'"};
  }
  // Identity: the first non-empty value wins (shards of one run share them).
  if (into.scenario.empty()) into.scenario = from.scenario, into.model = from.model;
  if (into.target.empty()) into.target = from.target;
  if (into.seed == 0) into.seed = from.seed;
  // The run started when its first shard did.
  if (into.started_unix_ms == 0 || (from.started_unix_ms != 0 && from.started_unix_ms < into.started_unix_ms))
    into.started_unix_ms = from.started_unix_ms;
  // Shards run side by side over the same period, with disjoint users and threads.
  into.planned_duration = std::max(into.planned_duration, from.planned_duration);
  into.measured_duration = std::max(into.measured_duration, from.measured_duration);
  into.threads += from.threads;
  into.shards += from.shards;
  into.peak_users += from.peak_users;
  into.late_arrivals += from.late_arrivals;
  into.dropped_arrivals += from.dropped_arrivals;
}

}  // namespace

void result::merge(const result& other) {
  // A default-constructed result is the identity, so results can be folded into an empty one
  // without counting it as a shard.
  if (*this == result{}) {
    *this = other;
    return;
  }
  merge_info(info, other.info);
  for (const auto& [name, stats] : other.requests) requests[name].merge(stats);
  series.merge(other.series);
  // Copied when new, so that the SLO travels with the statistics (merge() refuses to mix SLOs).
  for (const auto& [name, stats] : other.llm)
    if (auto [it, inserted] = llm.try_emplace(name, stats); !inserted) it->second.merge(stats);
  adapters.merge(other.adapters);
}

// ---- JSON ----------------------------------------------------------------------------------

namespace {

using namespace stats_detail;

// Durations are written as milliseconds with a fractional part: readable, and exact to the
// nanosecond on reading (rounded) for durations under 26 days.
double to_ms(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; }

std::chrono::nanoseconds read_ms(const nlohmann::json& j, std::string_view where, const char* name) {
  const double ms = read_number(j, where, name);
  if (!std::isfinite(ms) || ms < 0 || ms > 1e12)
    malformed(where, std::string{"field '"} + name + "' must be a duration in milliseconds >= 0");
  return std::chrono::nanoseconds{std::llround(ms * 1e6)};
}

std::string_view to_string(load_model m) { return m == load_model::open ? "open" : "closed"; }

load_model read_model(const nlohmann::json& j, std::string_view where) {
  const auto name = read_string(j, where, "model");
  if (name == "closed") return load_model::closed;
  if (name == "open") return load_model::open;
  malformed(where, "field 'model' must be \"closed\" or \"open\", got \"" + name + "\"");
}

// "llm" and "adapters" are optional: results of plain HTTP runs (and older files) have neither.
void read_llm_sections(const nlohmann::json& j, result& r) {
  try {
    if (const auto it = j.find("llm"); it != j.end()) {
      expect_object(*it, "result 'llm'");
      for (const auto& [name, stats] : it->items()) r.llm.emplace(name, stats.get<llm::llm_stats>());
    }
    if (const auto it = j.find("adapters"); it != j.end()) r.adapters = it->get<llm::adapter_stats>();
  } catch (const nlohmann::json::exception& e) {
    malformed("result 'llm' or 'adapters'", e.what());
  }
}

}  // namespace

void to_json(nlohmann::json& j, const run_info& i) {
  j = nlohmann::json{{"scenario", i.scenario},
                     {"target", i.target},
                     {"model", to_string(i.model)},
                     {"seed", i.seed},
                     {"threads", i.threads},
                     {"shards", i.shards},
                     {"started_unix_ms", i.started_unix_ms},
                     {"planned_duration_ms", to_ms(i.planned_duration)},
                     {"measured_duration_ms", to_ms(i.measured_duration)},
                     {"peak_users", i.peak_users},
                     {"late_arrivals", i.late_arrivals},
                     {"dropped_arrivals", i.dropped_arrivals}};
}

void from_json(const nlohmann::json& j, run_info& out) {
  constexpr std::string_view where = "result 'run'";
  run_info i;
  i.scenario = read_string(j, where, "scenario");
  i.target = read_string(j, where, "target");
  i.model = read_model(j, where);
  i.seed = read_unsigned(j, where, "seed");
  i.threads = read_unsigned(j, where, "threads");
  i.shards = read_unsigned(j, where, "shards");
  const auto& started = field(j, where, "started_unix_ms");
  if (!started.is_number_integer()) malformed(where, "field 'started_unix_ms' must be an integer");
  i.started_unix_ms = started.get<std::int64_t>();
  i.planned_duration = read_ms(j, where, "planned_duration_ms");
  i.measured_duration = read_ms(j, where, "measured_duration_ms");
  i.peak_users = read_unsigned(j, where, "peak_users");
  i.late_arrivals = read_unsigned(j, where, "late_arrivals");
  i.dropped_arrivals = read_unsigned(j, where, "dropped_arrivals");
  out = std::move(i);
}

void to_json(nlohmann::json& j, const result& r) {
  j = nlohmann::json{{"schema", "loadgate.result"},
                     {"schema_version", result::schema_version},
                     {"run", r.info},
                     {"requests", r.requests},
                     {"series", r.series}};
  // Only LLM runs have these; results of plain HTTP runs keep their shape.
  if (!r.llm.empty()) j["llm"] = r.llm;
  if (!(r.adapters == llm::adapter_stats{})) j["adapters"] = r.adapters;
}

void from_json(const nlohmann::json& j, result& out) {
  constexpr std::string_view where = "result";
  if (const auto schema = read_string(j, where, "schema"); schema != "loadgate.result")
    malformed(where, "'schema' is \"" + schema + "\", expected \"loadgate.result\"");
  const auto& version = field(j, where, "schema_version");
  if (version != result::schema_version)
    throw configuration_error{"result schema_version " + version.dump() + " is not supported: this loadgate reads schema_version " +
                              std::to_string(result::schema_version)};
  result r;
  r.info = field(j, where, "run").get<run_info>();
  const auto& requests = field(j, where, "requests");
  expect_object(requests, "result 'requests'");
  for (const auto& [name, stats] : requests.items()) r.requests.emplace(name, stats.get<request_stats>());
  r.series = field(j, where, "series").get<time_series>();
  read_llm_sections(j, r);
  out = std::move(r);
}

}  // namespace loadgate
