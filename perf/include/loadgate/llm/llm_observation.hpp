#pragma once
// Everything an LLM reader measured about one request, as the protocol showed it (status, error
// JSON, the server's headers); llm_reader::observe hands the figures over as an observation. Durations are from t0: the intended start in
// the open model, the send in the closed model (see llm_reader::start). See
// /work/shared/reference/measurement.md for the metric definitions.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/failure_kind.hpp"
#include "loadgate/llm/server_timing.hpp"
#include "loadgate/task.hpp"

namespace loadgate::llm {

using loadgate::token_count_source;

struct llm_observation {
  clock::time_point t0{};
  bool streamed = false;
  unsigned status = 0;                        // HTTP status; 0 if none arrived
  std::optional<failure_kind> failure;        // nullopt: success
  std::string error_type;                     // from the server's error JSON, if any
  std::string error_message;

  std::optional<std::chrono::nanoseconds> ttft;  // first content event − t0 (streams only)
  std::vector<std::chrono::nanoseconds> inter_token_gaps;  // between consecutive content events
  std::optional<std::chrono::nanoseconds> tpot;  // (e2e − ttft) / (N − 1), when N > 1
  std::chrono::nanoseconds e2e{};  // last content event, else the end of the response, − t0

  std::uint64_t content_events = 0;
  std::optional<std::uint64_t> output_tokens;  // N
  token_count_source token_source = token_count_source::none;
  std::optional<std::uint64_t> prompt_tokens;
  std::optional<std::string> finish_reason;   // length, eos_token, stop, stop_sequence, ...

  // The adapter of the request: the one asked for when the engine said so (llm_reader::adapter),
  // else the server's x-adapter-id; "" is the base model.
  std::string adapter;
  server_timing server;

  bool ok() const { return !failure.has_value(); }
};

// For logs and debugging; histograms, not observations, go into results.
void to_json(nlohmann::json& j, const llm_observation& o);

}  // namespace loadgate::llm
