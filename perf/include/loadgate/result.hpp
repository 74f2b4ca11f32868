#pragma once
// The outcome of one run (or of several merged shards): versioned, serialisable, mergeable.
// Schema: docs in perf/src/stats/README.md (result.json).
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/llm/adapter_stats.hpp"
#include "loadgate/llm/llm_stats.hpp"
#include "loadgate/request_stats.hpp"
#include "loadgate/time_series.hpp"

namespace loadgate {

enum class load_model : std::uint8_t { closed, open };

struct run_info {
  std::string scenario;                    // scenario name
  std::string target;                      // target URL, without credentials
  load_model model = load_model::closed;
  std::uint64_t seed = 0;
  std::size_t threads = 0;
  std::size_t shards = 1;                  // how many results were merged into this one
  std::int64_t started_unix_ms = 0;        // wall clock, for people; never used to compute
  std::chrono::nanoseconds planned_duration{};
  std::chrono::nanoseconds measured_duration{};  // from the first start to the end of the grace period
  std::uint64_t peak_users = 0;            // closed model
  std::uint64_t late_arrivals = 0;         // open model: sent after their intended start because of max_in_flight... see engine
  std::uint64_t dropped_arrivals = 0;      // open model: not sent at all (max_in_flight reached)

  bool operator==(const run_info&) const = default;
};

struct result {
  static constexpr int schema_version = 1;

  run_info info;
  std::map<std::string, request_stats> requests;  // by request name
  time_series series;
  // LLM requests only (LoRAX, OpenAI shapes): TTFT, TPOT, tokens, server timings, by request name.
  std::map<std::string, llm::llm_stats> llm;
  llm::adapter_stats adapters;  // per adapter, cold and warm

  request_stats total() const;  // all request names merged
  double requests_per_second() const;  // completed (successes + failures) / measured duration
  // LLM figures over the measured duration; `request_name` empty means every LLM request name.
  // Goodput: successes that met every limit of the scenario's per-request SLO, per second.
  double goodput(const std::string& request_name = {}) const;
  double output_tokens_per_second(const std::string& request_name = {}) const;
  double llm_requests_per_second(const std::string& request_name = {}) const;  // completed

  // Adds another thread's, or shard's, result: histograms and counts add, durations take the max.
  void merge(const result& other);
  bool operator==(const result&) const = default;
};

void to_json(nlohmann::json& j, const run_info& i);
void from_json(const nlohmann::json& j, run_info& i);
void to_json(nlohmann::json& j, const result& r);
void from_json(const nlohmann::json& j, result& r);  // rejects an unknown schema_version

}  // namespace loadgate
