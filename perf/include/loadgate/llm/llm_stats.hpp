#pragma once
// The LLM statistics of one request name: histograms (µs unless stated) built from
// llm_observations, merged exactly across threads and shards, serialised into the result.
// Latency histograms hold successful requests only, as in request_stats.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/histogram.hpp"
#include "loadgate/llm/llm_observation.hpp"
#include "loadgate/llm/per_request_slo.hpp"

namespace loadgate::llm {

class llm_stats {
 public:
  llm_stats() = default;
  // Goodput counts the successes that met `slo`; statistics with different SLOs do not merge.
  explicit llm_stats(per_request_slo slo) : slo_{slo} {}

  void record(const llm_observation& o);
  // Throws configuration_error when the SLOs differ: their goodput counts would not add up.
  void merge(const llm_stats& other);

  std::uint64_t successes() const { return successes_; }
  std::uint64_t failures() const { return failures_; }

  const histogram& ttft() const { return ttft_; }
  const histogram& inter_token_gap() const { return inter_token_gap_; }  // every gap, pooled
  const histogram& tpot() const { return tpot_; }
  const histogram& e2e() const { return e2e_; }
  const histogram& output_tokens() const { return output_tokens_; }  // tokens, not µs; 0 counts as 1

  // From the server's headers (x-queue-time, x-time-to-first-token, x-inference-time, x-total-time)
  // or the `timings` of a stream's final event (lorax-sim).
  const histogram& server_queue() const { return server_queue_; }
  const histogram& server_ttft() const { return server_ttft_; }
  const histogram& server_tpot() const { return server_tpot_; }  // time_per_output_token_ms
  const histogram& server_inference() const { return server_inference_; }
  const histogram& server_total() const { return server_total_; }
  // What the client saw on top of what the server measured: network, proxies, client queueing
  // (vllm#54101). Below 1 µs (the server's figure rounds above the client's) counts as 1 µs.
  const histogram& ttft_minus_server_ttft() const { return ttft_minus_server_ttft_; }
  const histogram& e2e_minus_server_total() const { return e2e_minus_server_total_; }

  std::uint64_t token_counts_from_server() const { return tokens_from_server_; }
  std::uint64_t token_counts_counted() const { return tokens_counted_; }
  std::uint64_t output_tokens_total() const { return output_tokens_total_; }  // ΣN of successes
  std::uint64_t prompt_tokens_total() const { return prompt_tokens_total_; }
  const std::map<std::string, std::uint64_t>& finish_reasons() const { return finish_reasons_; }

  const per_request_slo& slo() const { return slo_; }
  // Successes that met every limit of slo() (all successes when it is empty). Goodput is this
  // divided by the run's measured duration.
  std::uint64_t met_slo() const { return met_slo_; }

  bool operator==(const llm_stats&) const = default;

 private:
  friend void to_json(nlohmann::json&, const llm_stats&);
  friend void from_json(const nlohmann::json&, llm_stats&);

  void record_server(const llm_observation& o);

  per_request_slo slo_;
  std::uint64_t successes_ = 0;
  std::uint64_t failures_ = 0;
  histogram ttft_, inter_token_gap_, tpot_, e2e_, output_tokens_;
  histogram server_queue_, server_ttft_, server_tpot_, server_inference_, server_total_;
  histogram ttft_minus_server_ttft_, e2e_minus_server_total_;
  std::uint64_t tokens_from_server_ = 0;
  std::uint64_t tokens_counted_ = 0;
  std::uint64_t output_tokens_total_ = 0;
  std::uint64_t prompt_tokens_total_ = 0;
  std::map<std::string, std::uint64_t> finish_reasons_;
  std::uint64_t met_slo_ = 0;
};

void to_json(nlohmann::json& j, const llm_stats& s);
void from_json(const nlohmann::json& j, llm_stats& s);

}  // namespace loadgate::llm
