#pragma once
// The outcome of one run (or of several merged shards): versioned, serialisable, mergeable.
// Schema: docs in perf/src/stats/README.md (result.json).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/observation.hpp"
#include "loadgate/shard.hpp"
#include "loadgate/tally.hpp"
#include "loadgate/time_series.hpp"

namespace loadgate {

enum class load_model : std::uint8_t { closed, open };

// A run stopped before its plan ended (loadgate/run_stop.hpp): why, and how far into the plan.
// Its result is evidence, kept and reported, but never gated nor recorded as a baseline: the
// load it measured was not the plan's.
struct interruption {
  std::string reason;                  // what stopped it: "SIGINT", "SIGTERM", ...
  std::chrono::nanoseconds reached{};  // time since the start when the stop came
  bool cancelled = false;              // a second request cancelled what was in flight

  bool operator==(const interruption&) const = default;
};

// A worker whose timers fire this late at p99 is saturated: on an idle loop they fire within
// ~0.1 ms, and a busy but healthy one within a few ms.
inline constexpr std::chrono::milliseconds client_bound_lag{20};

struct run_info {
  std::string scenario;                    // scenario name
  std::string target;                      // target URL, without credentials
  load_model model = load_model::closed;
  std::uint64_t seed = 0;
  std::size_t threads = 0;
  std::size_t shards = 1;                  // how many results were merged into this one
  // The shards this result holds (loadgate run --shard): one for a shard's own result, every one
  // after `loadgate merge`; empty for a run that was not split.
  std::vector<shard_start> shard_starts;
  std::int64_t started_unix_ms = 0;        // wall clock, for people; never used to compute
  std::int64_t shared_start_unix_ms = 0;   // the --start-at instant the shards shared; 0 without
  std::chrono::nanoseconds planned_duration{};
  std::chrono::nanoseconds measured_duration{};  // from the first start to the end of the grace period
  std::uint64_t peak_users = 0;            // closed model
  std::uint64_t late_arrivals = 0;         // open model: sent after their intended start because of max_in_flight... see engine
  std::uint64_t dropped_arrivals = 0;      // open model: not sent at all (max_in_flight reached)
  // Open model: the arrivals the plan held before the run ended or was stopped, sent or dropped,
  // counted apart from the tallies: planned = requests counted + dropped, and the on-time share
  // (planned − late − dropped) / planned is achieved_rate(). 0 in results written before it was kept.
  std::uint64_t planned_arrivals = 0;
  // The per-request SLO that met_slo (goodput) counts against, as canonical JSON: {"ttft_ms": 250};
  // "{}" is no limit. Results kept against different SLOs do not merge.
  std::string per_request_slo = "{}";
  // The scenario's canonical configuration (loadgate/scenario_configuration.hpp) as JSON text, so
  // that `loadgate gate` can tell a stale baseline from the result alone; "null" when the run was
  // made without it (loadgate::run does not know the extra knobs a gated run adds). Results of
  // different configurations do not merge.
  std::string configuration = "null";
  // Set when the run was stopped early; merged shards take the earliest stop.
  std::optional<interruption> interrupted;
  // An https run that did not verify the server's certificate (--insecure); merged: any shard.
  bool insecure = false;
  // The load generator's own health: the worst worker thread's event-loop lag at p99 (how late its
  // timers fired; a response it reads waits as long) and the busiest thread's CPU time over wall
  // time. Merged: the maximum.
  std::chrono::nanoseconds loop_lag_p99{};
  double thread_cpu_max = 0;
  // How long received bytes waited in the kernel before the generator read them, p99 over every
  // plain-TCP read of the worst thread. Latencies and token times count from the kernel's receive
  // stamp, so this wait is what they no longer hold. Merged: the maximum.
  std::chrono::nanoseconds read_wait_p99{};
  // The server's metrics, when the run scraped them (the windows' `server` readings): from where,
  // how many scrapes answered and failed, and the first failure's cause. Merged: the first URL,
  // counts add.
  std::string scrape_url;  // "" when the run did not scrape
  std::uint64_t scrapes = 0;
  std::uint64_t scrape_failures = 0;
  std::string scrape_error;

  // The generator, not the service, was the bottleneck: loop_lag_p99 above client_bound_lag. Its
  // latencies hold the generator's own queueing; the gate and baseline recording refuse it.
  bool client_bound() const;

  bool operator==(const run_info&) const = default;
};

// The earliest request to one adapter that this result has seen. It is cold (it paid the
// adapter's load), but only merging every thread and shard settles which request really was
// first, so it is held apart until then; whichever request it displaces is filed as usual.
//
// Why not a per-thread "first time I see it" flag: with T threads (or S shards) each would tag its
// own first request, up to T·S colds per adapter. Why not a shared set: a lock on the measured path,
// and requests still ordered by completion, not by arrival at the server. Keeping the earliest
// start (t0 since the run's start, which shards share) gives the same answer whatever the threads,
// shards and merge order.
struct first_sight {
  std::chrono::nanoseconds started{};  // t0 − the run's start
  std::size_t window = 0;              // the window it completed in
  tally_key key;                       // with the use it is filed under once displaced
  tally request;                       // the one request

  bool operator==(const first_sight&) const = default;
};

struct result {
  static constexpr int schema_version = 3;  // reads 2 as well (perf/src/stats/README.md)

  run_info info;
  tally_map tallies;    // the whole run, by key; first sights not included
  time_series series;   // the same tallies, per one-second window
  std::map<std::string, first_sight> first_sights;  // by adapter

  // Files one request. The Recorder's entry point: `since_start` is the observation's t0 minus
  // the run's start, `window` the window it completed in. An LLM request that is the earliest to
  // its adapter so far becomes the adapter's first sight.
  void file(const std::string& request, const observation& o, std::chrono::nanoseconds since_start,
            std::size_t window);

  // ---- derived figures (first sights counted, as cold) ----
  tally total(const key_filter& filter = {}) const;
  // The whole run's tallies with the first sights filed under their cold keys.
  tally_map settled() const;
  // One tally per window, first sights in theirs; as many as series.windows().
  std::vector<tally> per_window(const key_filter& filter = {}) const;
  std::set<std::string> request_names() const;
  std::set<std::string> adapters() const;  // adapters of LLM requests ("" = base model)
  double seconds() const;  // measured duration
  double requests_per_second() const;  // completed (successes + failures) / measured duration

  // Adds another thread's, or shard's, result: tallies add, durations take the max.
  void merge(const result& other);
  bool operator==(const result&) const = default;

 private:
  // Keeps the earlier of `candidate` and the adapter's first sight; returns the other one.
  std::optional<first_sight> offer(first_sight candidate);
  void settle(const first_sight& s);  // files a request that is no longer a first sight
};

// The shards of a split run that a result does not hold yet; empty for a whole run, or once every
// shard is merged. `loadgate merge` refuses to make a result with shards missing.
std::vector<shard> missing_shards(const run_info& info);

// "interrupted by SIGINT at 3.0 s of 20.0 s; the requests in flight were cancelled" for a run
// stopped early; empty for a complete one.
std::string interruption_text(const run_info& i);

// "the load generator, not the service, was the bottleneck (event-loop lag p99 48.2 ms, above
// 20 ms): add threads (--threads) or shards, or lighten the tasks"; empty unless client-bound.
std::string client_bound_text(const run_info& i);

// Why a run cannot be judged, one line per reason as the reports state it, the weightiest first:
// "INCOMPLETE: interrupted by SIGINT ...", "CLIENT-BOUND: the load generator ..."; empty when it can.
std::vector<std::string> unjudgeable_states(const run_info& i);

// Throws configuration_error, naming `what` (a file, "run 2"), when `r` cannot be judged: an
// interrupted run (the load it measured was not the plan's) or a client-bound one (it measured
// the load generator). The gate and baseline recording call it.
void require_judgeable(const result& r, const std::string& what);

// The key an observation is filed under; `adapter_use` is what the request itself says (cold when
// the server loaded its adapter): first sights are turned cold by result::file.
tally_key key_of(const std::string& request, const observation& o);

void to_json(nlohmann::json& j, const run_info& i);
void from_json(const nlohmann::json& j, run_info& i);
void to_json(nlohmann::json& j, const result& r);
void from_json(const nlohmann::json& j, result& r);  // rejects an unknown schema_version

}  // namespace loadgate
