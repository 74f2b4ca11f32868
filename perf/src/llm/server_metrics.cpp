#include "loadgate/llm/server_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include "protocol/prometheus_text.hpp"

namespace loadgate::llm {
namespace {

using protocol::prometheus_sample;

struct vocabulary_entry {
  std::string_view name;
  std::array<std::string_view, 2> sources;  // the first one present wins
};

constexpr std::array<vocabulary_entry, 4> gauges{{
    {"queue_length", {"lorax_queue_length", "vllm:num_requests_waiting"}},
    {"running_batch", {"lorax_batch_current_size", "vllm:num_requests_running"}},
    {"batch_max_tokens", {"lorax_batch_current_max_tokens", ""}},
    {"kv_cache_usage", {"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"}},
}};

// Summed over every label set of `name` (vLLM labels each gauge by model_name); nothing when the
// text has no such sample.
std::optional<double> sum_of(const std::vector<prometheus_sample>& samples, std::string_view name) {
  std::optional<double> sum;
  for (const auto& s : samples)
    if (s.name == name) sum = sum.value_or(0) + s.value;
  // NaN (a summary's quantile with no observations) and infinities are no reading: JSON cannot
  // hold them, and a maximum over them says nothing.
  if (sum && !std::isfinite(*sum)) return std::nullopt;
  return sum;
}

std::string_view label(const prometheus_sample& s, std::string_view name) {
  for (const auto& [key, value] : s.labels)
    if (key == name) return value;
  return {};
}

double count_listed(std::string_view list) {
  if (list.empty()) return 0;
  return static_cast<double>(std::count(list.begin(), list.end(), ',') + 1);
}

}  // namespace

std::map<std::string, double> server_readings(std::string_view prometheus_text, const std::vector<std::string>& series) {
  const auto samples = protocol::parse_prometheus_text(prometheus_text);
  std::map<std::string, double> readings;
  for (const auto& entry : gauges)
    for (const auto source : entry.sources)
      if (const auto value = source.empty() ? std::nullopt : sum_of(samples, source)) {
        readings[std::string{entry.name}] = *value;
        break;
      }
  if (const auto sim = sum_of(samples, "lorax_sim_active_adapters")) readings["active_adapters"] = *sim;
  // vLLM writes one vllm:lora_requests_info sample per change of its adapter lists, its value the
  // time of the change: the newest is the state now.
  const prometheus_sample* newest = nullptr;
  for (const auto& s : samples)
    if (s.name == "vllm:lora_requests_info" && (!newest || s.value > newest->value)) newest = &s;
  if (newest) {
    readings["active_adapters"] = count_listed(label(*newest, "running_lora_adapters"));
    readings["waiting_adapters"] = count_listed(label(*newest, "waiting_lora_adapters"));
  }
  for (const auto& name : series)
    if (const auto value = sum_of(samples, name)) readings[name] = *value;
  return readings;
}

}  // namespace loadgate::llm
