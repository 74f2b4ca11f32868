#pragma once
// What one request showed: the value a response reader hands over and the Recorder alone files
// into the result's tallies. The engine fills the outcome and the latencies; an LLM reader adds
// what it read from the response (TTFT, gaps, tokens, the server's own timings, the adapter).
// See /work/shared/reference/measurement.md for the metric definitions.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/failure_kind.hpp"

namespace loadgate {

using clock = std::chrono::steady_clock;

// Where an output token count came from: the server's own figure (details.generated_tokens,
// usage.completion_tokens, x-generated-tokens), the count of content events (one event is not
// always one token, vllm#27485), or nowhere.
enum class token_count_source : std::uint8_t { none, server, counted };

std::string_view to_string(token_count_source source);

struct observation {
  // ---- every request (the engine) ----
  std::optional<failure_kind> failure;  // nullopt: success
  // For people, failures only: the system error's text, "HTTP 503: <first bytes of the body>",
  // or the LLM error's "error_type: message". Kept as an example of its failure kind.
  std::string cause;
  clock::time_point start{};  // t0: the intended start (open model) or the send (closed model)
  std::chrono::nanoseconds latency{};              // from the intended start (open) or the send
  std::chrono::nanoseconds latency_uncorrected{};  // always from the send

  // ---- LLM requests (the readers of LoRAX and OpenAI shapes) ----
  bool llm = false;     // the fields below were filled by an LLM reader
  std::string adapter;  // "" is the base model
  // The server said whether it loaded the adapter for this request (x-adapter-load-time above 0:
  // cold; 0: warm); nothing when it does not say, as LoRAX does not.
  std::optional<bool> adapter_loaded;
  std::optional<std::chrono::nanoseconds> ttft;  // first content event − t0 (streams only)
  std::vector<std::chrono::nanoseconds> inter_token_gaps;
  std::optional<std::chrono::nanoseconds> tpot;  // (e2e − ttft) / (N − 1), when N > 1
  std::optional<std::chrono::nanoseconds> e2e;   // last content event, else the response's end, − t0
  std::optional<std::uint64_t> output_tokens;    // N
  token_count_source token_source = token_count_source::none;
  std::optional<std::uint64_t> prompt_tokens;
  std::optional<std::string> finish_reason;  // length, eos_token, stop, stop_sequence, ...
  // The server's own figures (x-* headers, or the `timings` of a stream's final event).
  std::optional<std::chrono::nanoseconds> server_queue;
  std::optional<std::chrono::nanoseconds> server_ttft;
  std::optional<std::chrono::nanoseconds> server_tpot;
  std::optional<std::chrono::nanoseconds> server_inference;
  std::optional<std::chrono::nanoseconds> server_total;
  std::optional<std::chrono::nanoseconds> server_adapter_load;  // x-adapter-load-time (lorax-sim)
  // Succeeded and met every limit of the scenario's per-request SLO (goodput); the Recorder sets it.
  bool met_slo = false;

  bool ok() const { return !failure.has_value(); }
};

}  // namespace loadgate
