#pragma once
// Per-adapter statistics with a cold / warm split: what no common tool reports (vLLM's benchmark
// does not even record the adapter of a request). Cold requests: the first request to each
// adapter in the run (see cold_tracker) and every request whose server signals that it loaded the
// adapter for it (server_timing::signals_cold_load, header x-adapter-load-time > 0).
// Latency histograms (E2E and TTFT, µs) hold successful requests only.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/histogram.hpp"
#include "loadgate/llm/cold_tracker.hpp"
#include "loadgate/llm/llm_observation.hpp"
#include "loadgate/task.hpp"

namespace loadgate::llm {

struct adapter_bucket {
  std::uint64_t requests = 0;  // successes + failures
  std::uint64_t failures = 0;
  histogram latency;  // E2E
  histogram ttft;     // streamed requests only

  void record(const adapter_request& r);
  void merge(const adapter_bucket& other);
  bool operator==(const adapter_bucket&) const = default;
};

struct adapter_summary {
  adapter_bucket cold;
  adapter_bucket warm;

  adapter_bucket all() const;  // cold and warm merged
  bool operator==(const adapter_summary&) const = default;
};

class adapter_stats {
 public:
  // `run_start` orders first sights across threads (shards share it).
  void record(const llm_observation& o, clock::time_point run_start);
  void record(const std::string& adapter, const adapter_request& r);
  void merge(const adapter_stats& other);

  // By adapter id ("" is the base model), with the first sights counted as cold.
  std::map<std::string, adapter_summary> by_adapter() const;
  adapter_summary of(const std::string& adapter) const;

  bool operator==(const adapter_stats&) const = default;

 private:
  friend void to_json(nlohmann::json&, const adapter_stats&);
  friend void from_json(const nlohmann::json&, adapter_stats&);

  void settle(const std::string& adapter, const adapter_request& r);

  std::map<std::string, adapter_summary> settled_;  // every request except the first sights
  cold_tracker first_;
};

// {"adapters": {"<id>": {"cold": bucket, "warm": bucket}}, "first_sights": {"<id>": request}};
// "adapters" leaves out the first sights, so that merging JSON results stays exact.
void to_json(nlohmann::json& j, const adapter_bucket& b);
void from_json(const nlohmann::json& j, adapter_bucket& b);
void to_json(nlohmann::json& j, const adapter_stats& s);
void from_json(const nlohmann::json& j, adapter_stats& s);

}  // namespace loadgate::llm
