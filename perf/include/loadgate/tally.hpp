#pragma once
// The one kind of statistics a result holds: a tally of the requests that share a key (request
// name, adapter and whether it was cold), for the whole run or for one one-second window. Counts
// add and histograms add, so tallies merge exactly across threads, windows, shards and runs, and
// any metric — latency, TTFT, TPOT, goodput, a failure kind, per name or per adapter — is read the
// same way from any span of them.
#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/failure_kind.hpp"
#include "loadgate/histogram.hpp"
#include "loadgate/observation.hpp"

namespace loadgate {

// The distributions a tally keeps, each of successful requests only. Microseconds, except
// output_tokens (tokens; 0 counts as 1).
enum class measure : std::uint8_t {
  latency,              // from the intended start (open model) or the send (closed model)
  latency_uncorrected,  // always from the send
  ttft,
  inter_token_gap,      // every gap, pooled
  tpot,
  e2e,                  // last content event − t0
  output_tokens,
  server_queue,
  server_ttft,          // LoRAX's meaning: from batch entry to the end of prefill (no queue, no load)
  server_tpot,
  server_inference,
  server_total,
  server_adapter_load,  // the server's wait for this request's adapter (0 when it was loaded)
  // What the client saw on top of what the server measured: network, proxies, client queueing
  // (vllm#54101). Below 1 µs (the server's figure rounds above the client's) counts as 1 µs.
  // The client's TTFT is compared with the server's time from receipt to the first token,
  // total − inference + server TTFT, so it is kept only when the server sent all three.
  ttft_minus_server_ttft,
  e2e_minus_server_total,
};

inline constexpr std::size_t measure_count = 15;

// The JSON key: "latency_us", "ttft_us", "output_tokens", ...
std::string_view to_string(measure m);
std::optional<measure> measure_from_string(std::string_view key);

// How a request met its adapter. Plain HTTP requests have none; an LLM request is cold when it was
// the run's first to its adapter (it paid the download and load) or the server said it loaded
// the adapter for it, warm when the server said it did not (or it is the base model, which has
// nothing to load), and unknown when the server does not say (LoRAX sends no
// x-adapter-load-time: a reload after an offload looks like any other request).
enum class adapter_use : std::uint8_t { none, warm, cold, unknown };

std::string_view to_string(adapter_use u);  // "none", "warm", "cold", "unknown"
// The `use` field of a stored tally or first sight: "warm", "cold" or "unknown"; anything else is a
// configuration_error naming `where`.
adapter_use read_adapter_use(const nlohmann::json& value, std::string_view where);

struct tally_key {
  std::string request;  // the task's name
  std::string adapter;  // "" with adapter_use::none, or the base model
  adapter_use use = adapter_use::none;

  auto operator<=>(const tally_key&) const = default;
};

// Which keys a figure covers; an empty field matches every key.
struct key_filter {
  std::optional<std::string> request;
  std::optional<std::string> adapter;  // LLM requests to this adapter ("" = the base model)
  std::optional<adapter_use> use;      // cold or warm (adapter requests only)

  bool matches(const tally_key& k) const;
};

class tally {
 public:
  // At most this many distinct causes are kept per failure kind (the first ones seen).
  static constexpr std::size_t max_examples = 5;

  void record(const observation& o);
  void merge(const tally& other);

  std::uint64_t count() const { return successes_ + failures(); }  // completed + failed
  std::uint64_t successes() const { return successes_; }
  std::uint64_t failures() const;
  std::uint64_t failures(failure_kind kind) const { return failures_[static_cast<std::size_t>(kind)]; }
  double failure_rate() const;  // failures / count; 0 when count is 0

  const histogram& of(measure m) const { return histograms_[static_cast<std::size_t>(m)]; }
  const histogram& latency() const { return of(measure::latency); }

  std::uint64_t met_slo() const { return met_slo_; }  // successes that met the per-request SLO
  std::uint64_t output_tokens_total() const { return output_tokens_total_; }  // ΣN of successes
  std::uint64_t prompt_tokens_total() const { return prompt_tokens_total_; }
  std::uint64_t token_counts_from_server() const { return tokens_from_server_; }
  std::uint64_t token_counts_counted() const { return tokens_counted_; }
  const std::map<std::string, std::uint64_t>& finish_reasons() const { return finish_reasons_; }
  // Up to max_examples distinct causes per failure kind, in the order first seen.
  const std::map<failure_kind, std::vector<std::string>>& examples() const { return examples_; }

  bool empty() const { return count() == 0; }
  bool operator==(const tally&) const = default;

 private:
  friend void to_json(nlohmann::json&, const tally&);
  friend void from_json(const nlohmann::json&, tally&);

  void keep_example(failure_kind kind, const std::string& cause);

  std::uint64_t successes_ = 0;
  std::array<std::uint64_t, failure_kind_count> failures_{};
  std::array<histogram, measure_count> histograms_;
  std::uint64_t met_slo_ = 0;
  std::uint64_t output_tokens_total_ = 0;
  std::uint64_t prompt_tokens_total_ = 0;
  std::uint64_t tokens_from_server_ = 0;
  std::uint64_t tokens_counted_ = 0;
  std::map<std::string, std::uint64_t> finish_reasons_;
  std::map<failure_kind, std::vector<std::string>> examples_;
};

// Tallies by key, as the result keeps them for the whole run and for each window.
using tally_map = std::map<tally_key, tally>;

// The sum of the tallies `filter` matches.
tally sum(const tally_map& tallies, const key_filter& filter = {});

// {"successes": 90, "failures": {"timeout": 7}, "latency_us": {histogram}, ..., "met_slo": 80,
//  "examples": {"timeout": ["..."]}}: zero counts and empty histograms are left out.
void to_json(nlohmann::json& j, const tally& t);
void from_json(const nlohmann::json& j, tally& t);
// A list of {"request", "adapter", "use", "tally"} objects, in key order. Named functions, not
// to_json overloads: nlohmann has its own rule for std::map, which they would compete with.
nlohmann::json tallies_to_json(const tally_map& m);
tally_map tallies_from_json(const nlohmann::json& j, std::string_view where);

}  // namespace loadgate
