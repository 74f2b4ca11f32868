#pragma once
// What one streamed event means, for LoRAX / TGI `/generate_stream` and OpenAI-compatible
// completion and chat streams (LoRAX, vLLM). The shape is recognised from the payload, so one
// reader serves every route.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loadgate/failure_kind.hpp"
#include "loadgate/llm/server_timing.hpp"

namespace loadgate::llm {

struct stream_chunk {
  // A token (LoRAX `token`, OpenAI non-empty `text` / `delta.content`). Role-only, usage-only and
  // empty finishing chunks carry no content and are not tokens.
  bool content = false;
  // The stream is complete: LoRAX's last event (non-null `generated_text` or `details`), or
  // OpenAI's `[DONE]`. A stream that stops before this is incomplete.
  bool final = false;
  std::optional<std::string> finish_reason;
  // Counts the server reported in this chunk: LoRAX `details`, OpenAI `usage` (LoRAX sends usage
  // on every chunk with zeros until the last, so the last report wins).
  std::optional<std::uint64_t> generated_tokens;
  std::optional<std::uint64_t> prompt_tokens;
  // The server's own timings, when the event carries lorax-sim's non-standard `timings` object
  // (its final event: streams have no timing headers).
  std::optional<server_timing> timings;
  // An error event inside a 200 stream: overloaded (error_type "overloaded" or code 429),
  // incomplete (LoRAX's "incomplete_generation": the stream ended before its final message) or
  // stream_error; protocol when the payload is not JSON or not an object.
  std::optional<failure_kind> failure;
  std::string error_type;     // LoRAX error_type, or OpenAI/vLLM error type
  std::string error_message;
};

// Classifies one event's data. Never throws: malformed payloads become failure_kind::protocol.
stream_chunk classify_chunk(std::string_view data);

}  // namespace loadgate::llm
