#pragma once
// What the server says of itself during a run: its Prometheus text (/metrics) read into one
// vocabulary over LoRAX's and vLLM's names, so that a summary, a report or an SLO names
// `server.queue_length` whichever server answered.
//
//   queue_length      lorax_queue_length; vllm:num_requests_waiting
//   running_batch     lorax_batch_current_size; vllm:num_requests_running
//   batch_max_tokens  lorax_batch_current_max_tokens (tokens the running batch reserves)
//   active_adapters   lorax_sim_active_adapters (LoRAX has none); vLLM's vllm:lora_requests_info
//                     running_lora_adapters, counted
//   waiting_adapters  vLLM's vllm:lora_requests_info waiting_lora_adapters, counted
//   kv_cache_usage    vllm:kv_cache_usage_perc, vllm:gpu_cache_usage_perc (a fraction, 0 to 1)
//
// Any other series is kept under its own name when asked for (kube-state-metrics'
// kube_deployment_status_replicas beside latency shows what an autoscaler did), summed over its
// label sets. A name the text does not hold, or whose value is NaN or infinite, is left out of
// that reading, never read as 0.
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/target.hpp"

namespace loadgate::llm {

struct scrape_options {
  target source;                    // where the Prometheus text is: a /metrics URL
  std::vector<std::string> series;  // more names to keep, beside the vocabulary
  std::chrono::milliseconds interval{1000};
};

// One reading: vocabulary name (or a named series) -> value. Throws std::runtime_error naming the
// line when the text is not Prometheus text.
std::map<std::string, double> server_readings(std::string_view prometheus_text, const std::vector<std::string>& series = {});

}  // namespace loadgate::llm
