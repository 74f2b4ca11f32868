#pragma once
// What an SLO or the baseline gate measures: a metric is {family, statistic, selection}.
// The family says where the numbers come from (latency histograms, failure counts, ...), the
// statistic how a value is read from them (p95, max, a rate), and the selection which requests
// count (all, one request name, one adapter).
//
// Every metric is read through one additive `metric_tally`, projected from the result's tallies
// of the selected keys for the whole run or for each window, so the gate pools runs and resamples
// windows the same way for every family and selection.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/failure_kind.hpp"
#include "loadgate/histogram.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

enum class metric_family : std::uint8_t {
  latency,       // latency of successful requests (measure::latency)
  ttft,          // time to first token, streamed requests (measure::ttft)
  tpot,          // time per output token (measure::tpot)
  failure_rate,  // failed / completed, overall or one kind
  throughput,    // completed requests per second
  goodput,       // requests per second that met every per-request SLO (tally::met_slo)
  // The open model's arrivals sent on time (within 1 ms of their intended start) over those
  // planned: the generator's own fidelity to its plan, from run_info, for the whole run only.
  achieved_rate,
  // One of the server's own metrics, scraped during the run (loadgate/llm/server_metrics.hpp):
  // the maximum, mean or minimum of its readings, one per window. For SLOs; the gate does not
  // judge it against a baseline (readings are not requests).
  server,
};

enum class statistic : std::uint8_t {
  percentile,  // of a distribution family, `percent` in [0, 100]
  maximum,     // of a distribution family, or of the server's readings
  mean,        // of a distribution family, or of the server's readings
  minimum,     // of the server's readings
  rate,        // events / requests (failure_rate)
  per_second,  // requests / seconds (throughput, goodput)
};

// Which requests a metric looks at.
struct selection {
  enum class scope : std::uint8_t { all, request, adapter };
  // Of one adapter's requests: all, the cold ones (first request in the run, or the server said it
  // waited for the adapter's load) or the warm ones.
  enum class temperature : std::uint8_t { any, cold, warm };
  scope what = scope::all;
  std::string name;  // request name or adapter id; empty for all
  temperature requests = temperature::any;  // adapter scope only

  static selection all_requests() { return {}; }
  static selection request(std::string n) { return {scope::request, std::move(n), temperature::any}; }
  static selection adapter(std::string id, temperature t = temperature::any) {
    return {scope::adapter, std::move(id), t};
  }
  bool operator==(const selection&) const = default;
};

// The values a metric is in: latencies in µs, rates as fractions, throughput per second.
enum class metric_unit : std::uint8_t { microseconds, fraction, per_second, number };  // number: a server metric's own

// How a change is measured: relative to the baseline (latency, throughput) or as a difference
// (rates, whose baseline is often 0 so that a relative change means nothing).
enum class change_scale : std::uint8_t { relative, absolute };

struct metric {
  metric_family family = metric_family::latency;
  loadgate::statistic statistic = loadgate::statistic::percentile;
  double percent = 95;  // percentile only
  loadgate::selection selection;
  std::optional<failure_kind> kind;  // failure_rate only: one kind, or all
  std::string series;                // server only: the scraped metric's name ("queue_length")

  // Stable machine key for baseline files: "latency.p95", "latency.p95[request:generate]",
  // "failure_rate.timeout", "throughput". Never changes for a given metric.
  std::string key() const;
  // For people: "p95 latency (generate)", "failure rate (timeout)", "throughput".
  std::string label() const;

  metric_unit unit() const;
  change_scale scale() const;
  bool higher_is_worse() const;  // latency and failures: yes; throughput and goodput: no

  bool operator==(const metric&) const = default;
};

// An additive summary of the selected requests over some span (a run, a window, a block of
// windows). Merging tallies and then reading the statistic is exact, so the gate can pool
// windows and runs without averaging percentiles.
struct metric_tally {
  histogram distribution;    // distribution families, µs
  std::uint64_t events = 0;  // failures (failure_rate) or requests that met the SLO (goodput)
  std::uint64_t count = 0;   // completed requests, successes and failures
  double seconds = 0;        // span length, for per-second statistics

  void merge(const metric_tally& other);
};

// A metric's value over a metric_tally and the number of samples it rests on: the distribution's count
// for distribution statistics, the completed requests otherwise. No samples means no value: an
// SLO over it fails and a gate cannot judge it.
struct metric_value {
  double value = 0;
  std::uint64_t samples = 0;
  std::string note;  // why there are no samples, when the family is not recorded in the result
  std::string detail;  // what the value is made of, when it says more than the value: "3 late, 1 dropped of 500 planned"
};

metric_value observe(const metric& m, const metric_tally& t);
metric_value observe(const metric& m, const result& r);

// The metric's metric_tally over the whole run.
metric_tally whole_run_tally(const metric& m, const result& r);

// One metric_tally per one-second window of result.series, or nothing when the result has no
// windows. Every window keeps the same tallies as the whole run, so any metric has them.
std::optional<std::vector<metric_tally>> window_tallies(const metric& m, const result& r);

// Why a metric has no data in this result ("" when it may have some): a name or adapter the
// result does not hold, or a family that none of the selected requests recorded.
std::string unavailable_reason(const metric& m, const result& r);

// The result holds TTFT samples (streamed LLM requests ran).
bool records_ttft(const result& r);

// ---- builders: p95("generate") < 450ms, failure_rate() < 1_percent, ... -------------------------

// A distribution family with its selection, waiting for a statistic: p90(ttft("stream")).
struct distribution {
  metric_family family = metric_family::latency;
  loadgate::selection selection;
};

inline distribution latency(std::string request_name = {}) {
  return {metric_family::latency, request_name.empty() ? selection{} : selection::request(std::move(request_name))};
}
inline distribution latency(selection s) { return {metric_family::latency, std::move(s)}; }
inline distribution ttft(std::string request_name = {}) {
  return {metric_family::ttft, request_name.empty() ? selection{} : selection::request(std::move(request_name))};
}
inline distribution ttft(selection s) { return {metric_family::ttft, std::move(s)}; }
inline distribution tpot(std::string request_name = {}) {
  return {metric_family::tpot, request_name.empty() ? selection{} : selection::request(std::move(request_name))};
}
inline distribution tpot(selection s) { return {metric_family::tpot, std::move(s)}; }
inline selection adapter(std::string id) { return selection::adapter(std::move(id)); }
inline selection cold_adapter(std::string id) { return selection::adapter(std::move(id), selection::temperature::cold); }
inline selection warm_adapter(std::string id) { return selection::adapter(std::move(id), selection::temperature::warm); }

inline metric percentile(distribution d, double percent) {
  return {d.family, statistic::percentile, percent, std::move(d.selection), std::nullopt};
}
inline metric p50(distribution d) { return percentile(std::move(d), 50); }
inline metric p90(distribution d) { return percentile(std::move(d), 90); }
inline metric p95(distribution d) { return percentile(std::move(d), 95); }
inline metric p99(distribution d) { return percentile(std::move(d), 99); }
inline metric maximum(distribution d) { return {d.family, statistic::maximum, 100, std::move(d.selection), std::nullopt}; }
inline metric mean(distribution d) { return {d.family, statistic::mean, 0, std::move(d.selection), std::nullopt}; }

// Latency shorthands: p95("generate") is p95(latency("generate")), p95() all requests.
inline metric p50(std::string request_name = {}) { return p50(latency(std::move(request_name))); }
inline metric p90(std::string request_name = {}) { return p90(latency(std::move(request_name))); }
inline metric p95(std::string request_name = {}) { return p95(latency(std::move(request_name))); }
inline metric p99(std::string request_name = {}) { return p99(latency(std::move(request_name))); }
inline metric maximum(std::string request_name = {}) { return maximum(latency(std::move(request_name))); }
// String literals would otherwise be ambiguous between std::string and distribution.
inline metric p50(const char* n) { return p50(std::string{n}); }
inline metric p90(const char* n) { return p90(std::string{n}); }
inline metric p95(const char* n) { return p95(std::string{n}); }
inline metric p99(const char* n) { return p99(std::string{n}); }
inline metric maximum(const char* n) { return maximum(std::string{n}); }

metric failure_rate(std::string request_name = {}, std::optional<failure_kind> kind = std::nullopt);
inline metric failure_rate(failure_kind kind) { return failure_rate({}, kind); }
inline metric failure_rate(const char* request_name) { return failure_rate(std::string{request_name}); }
metric throughput(std::string request_name = {});
inline metric throughput(const char* request_name) { return throughput(std::string{request_name}); }
metric goodput(std::string request_name = {});
inline metric goodput(const char* request_name) { return goodput(std::string{request_name}); }
inline metric throughput(selection s) { return {metric_family::throughput, statistic::per_second, 0, std::move(s), std::nullopt}; }
// achieved_rate() >= 99_percent: at least 99 % of the open model's planned arrivals were sent on time.
inline metric achieved_rate() { return {metric_family::achieved_rate, statistic::rate, 0, selection{}, std::nullopt}; }

// server_metric("queue_length", statistic::maximum) < 50.0: the server's queue never held 50.
inline metric server_metric(std::string name, loadgate::statistic s) {
  return {metric_family::server, s, 0, selection{}, std::nullopt, std::move(name)};
}
inline metric failure_rate(selection s, std::optional<failure_kind> kind = std::nullopt) {
  return {metric_family::failure_rate, statistic::rate, 0, std::move(s), kind};
}

// Values in a metric's unit, for people: "512.3 ms", "1.20 %", "48.7 req/s".
std::string format_value(metric_unit unit, double value);

}  // namespace loadgate
