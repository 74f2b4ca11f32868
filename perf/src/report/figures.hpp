#pragma once
// What every reporter reads off a result the same way: the rows per request name and per
// adapter, and the percentiles of a histogram in milliseconds. Written once so that the console,
// summary.md, the CSVs, the report and result.json's summary can never disagree.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loadgate/histogram.hpp"
#include "loadgate/result.hpp"

namespace loadgate::report {

// The percentiles reports print, and their column names ("p99.9") and JSON keys ("p99_9").
struct percentile_point {
  double percent;
  const char* label;
  const char* key;
};
inline constexpr percentile_point reported_percentiles[] = {
    {50, "p50", "p50"}, {90, "p90", "p90"}, {95, "p95", "p95"}, {99, "p99", "p99"}, {99.9, "p99.9", "p99_9"}};

inline double ms(double us) { return us / 1000.0; }
// A percentile in ms; nullopt when the histogram is empty (no samples, no percentile).
std::optional<double> ms_at(const histogram& h, double percent);

struct named_tally {
  std::string name;
  loadgate::tally tally;
};

// One per request name, in name order.
std::vector<named_tally> by_request(const result& r);
// The names with LLM requests (filed under an adapter or the base model).
std::vector<std::string> llm_request_names(const result& r);

struct adapter_tallies {
  std::string id;  // "" is the base model
  loadgate::tally all, cold, warm;
  loadgate::tally unknown;  // the server did not say whether it loaded the adapter (LoRAX)
};
// One per adapter, the most requested first (ties in id order).
std::vector<adapter_tallies> by_adapter(const result& r);
// "(base model)" for "".
std::string adapter_label(const std::string& id);

// One scraped server metric over the run (time_window::server): its readings, one per window.
struct server_metric_figures {
  std::size_t readings = 0;
  double min = 0, mean = 0, max = 0, last = 0;
};
// By name; empty when the run did not scrape its server.
std::map<std::string, server_metric_figures> server_metrics(const result& r);

// Requests, failures and output tokens per second of the run.
double per_second(std::uint64_t n, const result& r);

}  // namespace loadgate::report
