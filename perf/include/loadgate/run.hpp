#pragma once
// Runs a scenario against a target and returns what was measured.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "loadgate/llm/server_metrics.hpp"
#include "loadgate/result.hpp"
#include "loadgate/run_stop.hpp"
#include "loadgate/scenario.hpp"
#include "loadgate/shard.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

// A snapshot for the live progress line, taken once per progress_interval.
struct progress {
  std::chrono::nanoseconds elapsed{};
  std::chrono::nanoseconds planned{};      // the scenario's duration
  std::uint64_t active_users = 0;          // users (closed) or requests in flight (open)
  double requests_per_second = 0;          // over the last complete window
  std::chrono::microseconds p50{};         // over the last complete window
  std::chrono::microseconds p95{};
  std::uint64_t requests = 0;              // so far
  std::uint64_t failures = 0;              // so far
};

struct run_options {
  std::function<void(const progress&)> on_progress;  // called from a thread of its own, never a worker
  std::chrono::milliseconds progress_interval{1000};
  // The part of the scenario this process runs (loadgate/shard.hpp); default all of it.
  loadgate::shard shard;
  // When set, the plan begins at this wall-clock instant, which every shard of the run shares
  // (their clocks are assumed in sync, by NTP). run() waits for it; if it has already passed, the
  // plan still counts from it and the result records by how much this shard was late.
  std::optional<std::chrono::system_clock::time_point> start_at;
  // When set, stops the run early on request (loadgate/run_stop.hpp); it must outlive run().
  run_stop* stop = nullptr;
  // When set, the server's Prometheus text is scraped every interval from the start until the
  // workers are done, on a thread of its own, into the windows' `server` readings
  // (loadgate/llm/server_metrics.hpp). A scrape that fails is counted, never fatal.
  std::optional<llm::scrape_options> scrape;
};

// Throws configuration_error for an invalid scenario and start_error when the run cannot start
// (for example, the open-file limit is below what the scenario needs, or the host does not
// resolve). Expected network failures are counted in the result, never thrown; an exception
// thrown by a task (a bug) stops every worker and is rethrown here.
//
// How a run goes:
// - Threads: scenario.effective_threads(), at most one per user (closed) or per allowed request
//   in flight (open) of this shard; user or connection u runs on thread u % threads (of the
//   shard's own users, loadgate/shard.hpp). All threads share one start.
// - Closed model: latency is timed from the moment the last request byte was written (both
//   histograms hold the same value); connecting, when a connection must be (re)opened, is not
//   part of it. Think time counts from the end of a task (so constant_pacing starts one every period).
// - Open model: latency is timed from the intended start (corrected) and from the send
//   (uncorrected). An arrival that finds max_in_flight requests in flight is not sent and counts
//   in info.dropped_arrivals. One sent more than 1 ms after its intended start, because its
//   thread was busy, counts in info.late_arrivals (it is sent, and its corrected latency includes
//   the wait).
// - Deadlines: connect_timeout (TCP and TLS handshake), request_timeout (first byte sent to last
//   byte received), idle_timeout (silence between two reads) are enforced by each thread's
//   watchdog every min(timeouts)/10, between 1 and 10 ms: a timeout fires up to that much late.
// - End: no task starts after duration; what is in flight gets grace, then is cancelled and
//   counted as failure_kind::cancelled. run() returns within duration + grace + ~10 ms.
// - Stopped early (run_options::stop): the same end, brought forward to the first request (grace
//   after it), or at once on a second one; the result says so in info.interrupted.
// - A request that finds its kept-alive connection closed by the server (nothing received) is
//   sent again, once, on a new connection; the retry is not counted as a second request.
result run(const scenario& s, const target& t, const run_options& options = {});

// What run() checks of run_options::start_at: throws configuration_error when it is more than an
// hour ahead (seconds mistaken for milliseconds, a wrong clock) or so far behind that the whole
// plan is over.
void validate_start_at(std::chrono::system_clock::time_point start_at, const scenario& s);

}  // namespace loadgate
