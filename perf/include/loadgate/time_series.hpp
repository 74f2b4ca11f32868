#pragma once
// A one-second time series of the whole run: each window keeps the same tallies by key as the
// whole run does, so windows merge exactly across threads and shards (shards share a start time)
// and the gate can estimate any metric's noise from per-window figures.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/tally.hpp"

namespace loadgate {

struct time_window {
  std::uint64_t active_users = 0;  // users (closed) or requests in flight (open), at the window's end; merged by sum
  tally_map tallies;               // requests completed in this window, by key
  // The server's own metrics, scraped in this window (loadgate/llm/server_metrics.hpp): the last
  // reading of each name. Shards scrape the same server; merging keeps the larger reading.
  std::map<std::string, double> server;

  tally total() const { return sum(tallies); }
  void merge(const time_window& other);
  bool operator==(const time_window&) const = default;
};

class time_series {
 public:
  static constexpr std::chrono::seconds window_length{1};

  // Window i covers [i s, i+1 s) after the run's start.
  time_window& window(std::size_t index);  // grows as needed
  const std::vector<time_window>& windows() const { return windows_; }
  static std::size_t index_of(std::chrono::nanoseconds since_start) {
    return static_cast<std::size_t>(since_start / window_length);
  }

  void merge(const time_series& other);
  bool operator==(const time_series&) const = default;

 private:
  std::vector<time_window> windows_;
};

void to_json(nlohmann::json& j, const time_window& w);
void from_json(const nlohmann::json& j, time_window& w);
void to_json(nlohmann::json& j, const time_series& s);
void from_json(const nlohmann::json& j, time_series& s);

}  // namespace loadgate
