#include "loadgate/result.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/strict_json.hpp"

namespace loadgate {

tally_key key_of(const std::string& request, const observation& o) {
  if (!o.llm) return {request, {}, adapter_use::none};
  // The base model has nothing to load: a server that says nothing about it says it is warm.
  if (!o.adapter_loaded && !o.adapter.empty()) return {request, o.adapter, adapter_use::unknown};
  return {request, o.adapter, o.adapter_loaded.value_or(false) ? adapter_use::cold : adapter_use::warm};
}

namespace {

// The earlier start is the first sight. Starts can tie (two shards, one clock tick); then the rest
// of the request breaks the tie, all of it (as its JSON), so that the merge order never changes
// the answer. Ties are rare: the text is only built for them.
bool earlier(const first_sight& a, const first_sight& b) {
  if (std::tie(a.started, a.key, a.window) != std::tie(b.started, b.key, b.window))
    return std::tie(a.started, a.key, a.window) < std::tie(b.started, b.key, b.window);
  return nlohmann::json(a.request).dump() < nlohmann::json(b.request).dump();
}

tally_key as_cold(tally_key key) {
  key.use = adapter_use::cold;
  return key;
}

}  // namespace

void result::file(const std::string& request, const observation& o, std::chrono::nanoseconds since_start,
                  std::size_t window) {
  auto key = key_of(request, o);
  auto& in_window = series.window(window);
  if (key.use != adapter_use::none) {
    const auto known = first_sights.find(key.adapter);
    // Most requests start after the adapter's first sight: filed at once, no candidate built.
    if (known == first_sights.end() || since_start <= known->second.started) {
      first_sight candidate{since_start, window, key, {}};
      candidate.request.record(o);
      if (auto displaced = offer(std::move(candidate))) settle(*displaced);
      return;
    }
  }
  tallies[key].record(o);
  in_window.tallies[key].record(o);
}

std::optional<first_sight> result::offer(first_sight candidate) {
  const auto [it, inserted] = first_sights.try_emplace(candidate.key.adapter, candidate);
  if (inserted) return std::nullopt;
  if (!earlier(candidate, it->second)) return candidate;
  auto displaced = std::move(it->second);
  it->second = std::move(candidate);
  return displaced;
}

void result::settle(const first_sight& s) {
  tallies[s.key].merge(s.request);
  series.window(s.window).tallies[s.key].merge(s.request);
}

tally result::total(const key_filter& filter) const {
  auto all = sum(tallies, filter);
  for (const auto& [adapter, s] : first_sights)
    if (filter.matches(as_cold(s.key))) all.merge(s.request);
  return all;
}

tally_map result::settled() const {
  auto all = tallies;
  for (const auto& [adapter, s] : first_sights) all[as_cold(s.key)].merge(s.request);
  return all;
}

std::vector<tally> result::per_window(const key_filter& filter) const {
  std::vector<tally> out;
  out.reserve(series.windows().size());
  for (const auto& w : series.windows()) out.push_back(sum(w.tallies, filter));
  for (const auto& [adapter, s] : first_sights)
    if (s.window < out.size() && filter.matches(as_cold(s.key))) out[s.window].merge(s.request);
  return out;
}

std::set<std::string> result::request_names() const {
  std::set<std::string> names;
  for (const auto& [key, t] : tallies) names.insert(key.request);
  for (const auto& [adapter, s] : first_sights) names.insert(s.key.request);
  return names;
}

std::set<std::string> result::adapters() const {
  std::set<std::string> ids;
  for (const auto& [key, t] : tallies)
    if (key.use != adapter_use::none) ids.insert(key.adapter);
  for (const auto& [adapter, s] : first_sights) ids.insert(adapter);
  return ids;
}

double result::seconds() const { return std::chrono::duration<double>(info.measured_duration).count(); }

double result::requests_per_second() const {
  const double s = seconds();
  return s > 0 ? static_cast<double>(total().count()) / s : 0.0;
}

namespace {

// Shards merge only into the run they split: the same division, no part twice, one shared start.
void merge_shard_starts(run_info& into, const run_info& from) {
  if (into.shard_starts.empty() && from.shard_starts.empty()) return;
  if (into.shard_starts.empty() || from.shard_starts.empty())
    throw configuration_error{"cannot merge shard " + to_string(shards_of(into.shard_starts.empty() ? from.shard_starts : into.shard_starts)) +
                              " with a run that was not split into shards"};
  const auto count = into.shard_starts.front().shard.count;
  for (const auto& s : from.shard_starts) {
    if (s.shard.count != count)
      throw configuration_error{"cannot merge shard " + to_string(s.shard) + " with shard " + to_string(shards_of(into.shard_starts)) +
                                ": they split the run into different numbers of shards"};
    for (const auto& held : into.shard_starts)
      if (held.shard == s.shard)
        throw configuration_error{"shard " + to_string(s.shard) + " is given twice: merge each shard's result once"};
  }
  if (into.shared_start_unix_ms != from.shared_start_unix_ms)
    throw configuration_error{"shards " + to_string(shards_of(into.shard_starts)) + " began at unix ms " +
                              std::to_string(into.shared_start_unix_ms) + " but shard " + to_string(shards_of(from.shard_starts)) +
                              " at " + std::to_string(from.shared_start_unix_ms) +
                              ": they are not parts of one run (give every shard the same --start-at)"};
  into.shard_starts.insert(into.shard_starts.end(), from.shard_starts.begin(), from.shard_starts.end());
  std::sort(into.shard_starts.begin(), into.shard_starts.end(),
            [](const shard_start& a, const shard_start& b) { return a.shard.index < b.shard.index; });
}

void merge_info(run_info& into, const run_info& from) {
  if (!into.scenario.empty() && !from.scenario.empty()) {
    if (into.scenario != from.scenario)
      throw configuration_error{"cannot merge results of different scenarios '" + into.scenario + "' and '" +
                                from.scenario + "'"};
    if (into.model != from.model)
      throw configuration_error{"cannot merge a closed-model and an open-model result of scenario '" +
                                into.scenario + "'"};
  }
  if (into.per_request_slo != from.per_request_slo)
    throw configuration_error{"cannot merge results kept against different per-request SLOs " + into.per_request_slo +
                              " and " + from.per_request_slo + ": their goodput counts would not add up"};
  if (into.configuration != "null" && from.configuration != "null" && into.configuration != from.configuration)
    throw configuration_error{"cannot merge results of different configurations of scenario '" + into.scenario +
                              "': compare them instead (loadgate compare A B)"};
  if (into.configuration == "null") into.configuration = from.configuration;
  merge_shard_starts(into, from);
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
  into.planned_arrivals += from.planned_arrivals;
  // One shard stopped early makes the whole run incomplete; the earliest stop is the one to tell.
  if (from.interrupted && (!into.interrupted || from.interrupted->reached < into.interrupted->reached))
    into.interrupted = from.interrupted;
  into.insecure = into.insecure || from.insecure;
  into.loop_lag_p99 = std::max(into.loop_lag_p99, from.loop_lag_p99);
  into.thread_cpu_max = std::max(into.thread_cpu_max, from.thread_cpu_max);
  into.read_wait_p99 = std::max(into.read_wait_p99, from.read_wait_p99);
  if (into.scrape_url.empty()) into.scrape_url = from.scrape_url;
  into.scrapes += from.scrapes;
  into.scrape_failures += from.scrape_failures;
  if (into.scrape_error.empty()) into.scrape_error = from.scrape_error;
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
  for (const auto& [key, t] : other.tallies) tallies[key].merge(t);
  series.merge(other.series);
  for (const auto& [adapter, s] : other.first_sights)
    if (auto displaced = offer(s)) settle(*displaced);
}

std::string interruption_text(const run_info& i) {
  if (!i.interrupted) return {};
  const auto& stop = *i.interrupted;
  char text[160];
  std::snprintf(text, sizeof text, " at %.1f s of %.1f s; the requests in flight %s",
                std::chrono::duration<double>(stop.reached).count(),
                std::chrono::duration<double>(i.planned_duration).count(),
                stop.cancelled ? "were cancelled" : "had the grace period to finish");
  return "interrupted by " + stop.reason + text;
}

bool run_info::client_bound() const { return loop_lag_p99 > client_bound_lag; }

std::string client_bound_text(const run_info& i) {
  if (!i.client_bound()) return {};
  char text[200];
  std::snprintf(text, sizeof text,
                "the load generator, not the service, was the bottleneck (event-loop lag p99 %.1f ms, above %lld ms): "
                "add threads (--threads) or shards, or lighten the tasks",
                std::chrono::duration<double, std::milli>(i.loop_lag_p99).count(),
                static_cast<long long>(client_bound_lag.count()));
  return text;
}

std::vector<std::string> unjudgeable_states(const run_info& i) {
  std::vector<std::string> states;
  if (i.interrupted) states.push_back("INCOMPLETE: " + interruption_text(i));
  if (i.client_bound()) states.push_back("CLIENT-BOUND: " + client_bound_text(i));
  return states;
}

void require_judgeable(const result& r, const std::string& what) {
  if (r.info.interrupted)
    throw configuration_error{what + ": the run was " + interruption_text(r.info) + ". It did not apply the planned "
                              "load, so it is kept as evidence but not gated nor recorded as a baseline: run it "
                              "again to the end"};
  if (r.info.client_bound())
    throw configuration_error{what + ": " + client_bound_text(r.info) +
                              ". Its latencies measure loadgate, so it is not judged"};
}

std::vector<shard> missing_shards(const run_info& info) {
  std::vector<shard> missing;
  if (info.shard_starts.empty()) return missing;
  const auto count = info.shard_starts.front().shard.count;
  for (std::size_t i = 1; i <= count; ++i) {
    const auto held = std::any_of(info.shard_starts.begin(), info.shard_starts.end(),
                                  [&](const shard_start& s) { return s.shard.index == i; });
    if (!held) missing.push_back({i, count});
  }
  return missing;
}

// ---- JSON ----------------------------------------------------------------------------------

namespace {

using namespace detail;

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

nlohmann::json first_sights_to_json(const std::map<std::string, first_sight>& sights) {
  auto list = nlohmann::json::array();
  for (const auto& [adapter, s] : sights)
    list.push_back({{"adapter", adapter},
                    {"request", s.key.request},
                    {"use", to_string(s.key.use)},
                    {"started_ns", s.started.count()},
                    {"window", s.window},
                    {"tally", s.request}});
  return list;
}

std::map<std::string, first_sight> first_sights_from_json(const nlohmann::json& j) {
  constexpr std::string_view where = "result 'first_sights'";
  if (!j.is_array()) malformed(where, "expected a list, got " + json_type(j));
  std::map<std::string, first_sight> sights;
  for (const auto& entry : j) {
    first_sight s;
    s.key.adapter = read_string(entry, where, "adapter");
    s.key.request = read_string(entry, where, "request");
    s.key.use = read_adapter_use(field(entry, where, "use"), where);
    const auto& started = field(entry, where, "started_ns");
    if (!started.is_number_integer()) malformed(where, "field 'started_ns' must be an integer");
    s.started = std::chrono::nanoseconds{started.get<std::int64_t>()};
    s.window = read_unsigned(entry, where, "window");
    s.request = field(entry, where, "tally").get<tally>();
    if (s.request.count() != 1) malformed(where, "a first sight is one request; '" + s.key.adapter + "' holds " + std::to_string(s.request.count()));
    const auto adapter = s.key.adapter;
    if (!sights.emplace(adapter, std::move(s)).second) malformed(where, "adapter '" + adapter + "' is listed twice");
  }
  return sights;
}

nlohmann::json shard_starts_to_json(const std::vector<shard_start>& starts) {
  auto list = nlohmann::json::array();
  for (const auto& s : starts) list.push_back({{"shard", to_string(s.shard)}, {"skew_ms", to_ms(s.skew)}});
  return list;
}

std::vector<shard_start> shard_starts_from_json(const nlohmann::json& j) {
  constexpr std::string_view where = "result 'run.shard_starts'";
  if (!j.is_array()) malformed(where, "expected a list, got " + json_type(j));
  std::vector<shard_start> starts;
  for (const auto& entry : j) {
    shard_start s;
    try {
      s.shard = parse_shard(read_string(entry, where, "shard"));
    } catch (const configuration_error& e) {
      malformed(where, e.what());
    }
    s.skew = read_ms(entry, where, "skew_ms");
    starts.push_back(s);
  }
  return starts;
}

// "complete" says at a glance whether the run went to its end; "interruption" says why not.
nlohmann::json interruption_to_json(const interruption& stop) {
  return {{"reason", stop.reason}, {"reached_ms", to_ms(stop.reached)}, {"cancelled", stop.cancelled}};
}

interruption interruption_from_json(const nlohmann::json& j) {
  constexpr std::string_view where = "result 'run.interruption'";
  if (!j.is_object()) malformed(where, "expected an object, got " + json_type(j));
  interruption stop;
  stop.reason = read_string(j, where, "reason");
  stop.reached = read_ms(j, where, "reached_ms");
  const auto& cancelled = field(j, where, "cancelled");
  if (!cancelled.is_boolean()) malformed(where, "field 'cancelled' must be true or false");
  stop.cancelled = cancelled.get<bool>();
  return stop;
}

}  // namespace

void to_json(nlohmann::json& j, const run_info& i) {
  j = nlohmann::json{{"scenario", i.scenario},
                     {"target", i.target},
                     {"model", to_string(i.model)},
                     {"seed", i.seed},
                     {"threads", i.threads},
                     {"shards", i.shards},
                     {"shard_starts", shard_starts_to_json(i.shard_starts)},
                     {"started_unix_ms", i.started_unix_ms},
                     {"shared_start_unix_ms", i.shared_start_unix_ms},
                     {"planned_duration_ms", to_ms(i.planned_duration)},
                     {"measured_duration_ms", to_ms(i.measured_duration)},
                     {"peak_users", i.peak_users},
                     {"late_arrivals", i.late_arrivals},
                     {"dropped_arrivals", i.dropped_arrivals},
                     {"planned_arrivals", i.planned_arrivals},
                     {"per_request_slo", nlohmann::json::parse(i.per_request_slo)},
                     {"configuration", nlohmann::json::parse(i.configuration)},
                     {"complete", !i.interrupted},
                     {"insecure", i.insecure},
                     {"loop_lag_p99_ms", to_ms(i.loop_lag_p99)},
                     {"thread_cpu_max", i.thread_cpu_max},
                     {"read_wait_p99_ms", to_ms(i.read_wait_p99)},
                     {"client_bound", i.client_bound()}};
  if (i.interrupted) j["interruption"] = interruption_to_json(*i.interrupted);
  if (!i.scrape_url.empty())
    j["scrape"] = {{"url", i.scrape_url}, {"scrapes", i.scrapes}, {"failures", i.scrape_failures}, {"first_error", i.scrape_error}};
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
  // Optional: results written before shards recorded their part read as not split.
  if (const auto it = j.find("shard_starts"); it != j.end()) i.shard_starts = shard_starts_from_json(*it);
  if (const auto it = j.find("shared_start_unix_ms"); it != j.end()) {
    if (!it->is_number_integer()) malformed(where, "field 'shared_start_unix_ms' must be an integer");
    i.shared_start_unix_ms = it->get<std::int64_t>();
  }
  const auto& started = field(j, where, "started_unix_ms");
  if (!started.is_number_integer()) malformed(where, "field 'started_unix_ms' must be an integer");
  i.started_unix_ms = started.get<std::int64_t>();
  i.planned_duration = read_ms(j, where, "planned_duration_ms");
  i.measured_duration = read_ms(j, where, "measured_duration_ms");
  i.peak_users = read_unsigned(j, where, "peak_users");
  i.late_arrivals = read_unsigned(j, where, "late_arrivals");
  i.dropped_arrivals = read_unsigned(j, where, "dropped_arrivals");
  // Optional: absent in results written before planned arrivals were counted (read as none).
  if (j.contains("planned_arrivals")) i.planned_arrivals = read_unsigned(j, where, "planned_arrivals");
  const auto& slo = field(j, where, "per_request_slo");
  expect_object(slo, "result 'run.per_request_slo'");
  i.per_request_slo = slo.dump();
  // Optional: results and baselines written before it was recorded read as "not recorded".
  if (const auto it = j.find("configuration"); it != j.end()) i.configuration = it->dump();
  // Optional: results written before runs could be interrupted were complete.
  const auto complete = j.find("complete");
  const auto stop = j.find("interruption");
  if (complete != j.end() && !complete->is_boolean()) malformed(where, "field 'complete' must be true or false");
  const bool is_complete = complete == j.end() || complete->get<bool>();
  if (is_complete != (stop == j.end()))
    malformed(where, is_complete ? "a complete run has no 'interruption'" : "an incomplete run must say its 'interruption'");
  if (stop != j.end()) i.interrupted = interruption_from_json(*stop);
  if (const auto it = j.find("insecure"); it != j.end()) {  // optional: absent in older results
    if (!it->is_boolean()) malformed(where, "field 'insecure' must be true or false");
    i.insecure = it->get<bool>();
  }
  // Optional: absent in results written before the generator measured itself. client_bound is
  // derived from the lag, so it is not read.
  if (j.contains("loop_lag_p99_ms")) i.loop_lag_p99 = read_ms(j, where, "loop_lag_p99_ms");
  if (j.contains("read_wait_p99_ms")) i.read_wait_p99 = read_ms(j, where, "read_wait_p99_ms");
  if (const auto it = j.find("thread_cpu_max"); it != j.end()) {
    if (!it->is_number() || it->get<double>() < 0) malformed(where, "field 'thread_cpu_max' must be a number >= 0");
    i.thread_cpu_max = it->get<double>();
  }
  if (const auto it = j.find("scrape"); it != j.end()) {  // only runs that scraped the server
    constexpr std::string_view scrape_where = "result 'run.scrape'";
    i.scrape_url = read_string(*it, scrape_where, "url");
    i.scrapes = read_unsigned(*it, scrape_where, "scrapes");
    i.scrape_failures = read_unsigned(*it, scrape_where, "failures");
    i.scrape_error = read_string(*it, scrape_where, "first_error");
  }
  out = std::move(i);
}

void to_json(nlohmann::json& j, const result& r) {
  j = nlohmann::json{{"schema", "loadgate.result"},
                     {"schema_version", result::schema_version},
                     {"run", r.info},
                     {"tallies", tallies_to_json(r.tallies)},
                     {"first_sights", first_sights_to_json(r.first_sights)},
                     {"series", r.series}};
}

void from_json(const nlohmann::json& j, result& out) {
  constexpr std::string_view where = "result";
  if (const auto schema = read_string(j, where, "schema"); schema != "loadgate.result")
    malformed(where, "'schema' is \"" + schema + "\", expected \"loadgate.result\"");
  const auto& version = field(j, where, "schema_version");
  if (version == 1)
    throw configuration_error{
        "this is a version-1 result (a loadgate from before December 2026); this loadgate reads schema_version 2 and 3, "
        "whose windows keep every request name, adapter and LLM figure, which version 1 never recorded, so it "
        "cannot be converted: run the scenario again (loadgate run ...) to get a current result"};
  // Version 3 added the adapter-load histogram and the run's configuration; a version-2 file reads
  // as one without them.
  if (version != 2 && version != result::schema_version)
    throw configuration_error{"result schema_version " + version.dump() + " is not supported: this loadgate reads schema_version 2 and " +
                              std::to_string(result::schema_version)};
  result r;
  r.info = field(j, where, "run").get<run_info>();
  r.tallies = tallies_from_json(field(j, where, "tallies"), "result 'tallies'");
  r.first_sights = first_sights_from_json(field(j, where, "first_sights"));
  r.series = field(j, where, "series").get<time_series>();
  for (const auto& [adapter, s] : r.first_sights)
    if (s.window >= r.series.windows().size()) malformed(where, "the first sight of '" + adapter + "' lies past the last window");
  out = std::move(r);
}

}  // namespace loadgate
