#pragma once
// What the server says about a request in its response headers (LoRAX / TGI). Times are in
// milliseconds; each field is absent when the header was not sent. LoRAX writes whole
// milliseconds, truncated: a time header without a fraction is read as the middle of its
// millisecond (12 -> 12.5), one with a fraction as written (lorax-sim's 12.345).
//
// What the times measure is the server's own: LoRAX's x-time-to-first-token runs from the
// request's entry into a batch to the end of its prefill (no validation, queue or adapter load),
// lorax-sim's from its arrival. Server TTFT is compared with the client's only against the
// same server, never across servers (llm/dialect.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace loadgate::llm {

struct server_timing {
  std::optional<double> queue_ms;            // x-queue-time
  std::optional<double> time_to_first_token_ms;  // x-time-to-first-token
  std::optional<double> inference_ms;        // x-inference-time
  std::optional<double> total_ms;            // x-total-time
  std::optional<double> time_per_token_ms;   // x-time-per-token: LoRAX's inference time / N
  // (last token − first token) / (N − 1): the server's TPOT as measurement.md defines it.
  // x-time-per-output-token (LoRAX, non-streamed); lorax-sim sends it in the `timings` of a stream's
  // final event.
  std::optional<double> time_per_output_token_ms;
  std::optional<std::uint64_t> generated_tokens;  // x-generated-tokens
  std::optional<std::uint64_t> prompt_tokens;     // x-prompt-tokens
  std::optional<std::string> adapter_id;     // x-adapter-id
  // x-adapter-load-time: time this request waited for its adapter to be downloaded and loaded.
  // Not sent by LoRAX; proposed for lorax-sim. Above zero marks the request as a cold load.
  std::optional<double> adapter_load_ms;

  // Takes one response header; returns false when it is not a timing header (names are
  // case-insensitive). A value that is not a number is ignored: a bad header is no failure.
  bool capture(std::string_view name, std::string_view value);

  // Takes the non-standard `timings` object of a stream's final event (lorax-sim: streams carry no
  // timing headers, as in LoRAX): {"queue_ms", "time_to_first_token_ms", "time_per_token_ms",
  // "time_per_output_token_ms", "inference_ms", "total_ms", "adapter_load_ms"}, fractional ms.
  // Fields present replace what the headers said; anything that is not a number >= 0 is ignored.
  void capture_event_timings(const nlohmann::json& timings);

  bool signals_cold_load() const { return adapter_load_ms && *adapter_load_ms > 0; }
  bool operator==(const server_timing&) const = default;
};

void to_json(nlohmann::json& j, const server_timing& t);

}  // namespace loadgate::llm
