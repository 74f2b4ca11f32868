#pragma once
// Which server a target is, asked before the load when a run is told to find out
// (`loadgate run --dialect auto`): the dialect its OpenAI-route tasks then speak
// (loadgate/llm/dialect.hpp).
//   1. GET /info answers LoRAX's Info (model_id, waiting_served_ratio, max_batch_total_tokens):
//      lorax. (Text Generation Inference answers the same fields, and reads as lorax too: its
//      OpenAI routes have no extensions of their own.)
//   2. else GET /v1/models lists a model owned_by "vllm": vllm;
//   3. else it lists models in OpenAI's shape ({"object": "list", "data": [...]}): openai.
// Both paths follow the target's base path, as every request does.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "loadgate/llm/dialect.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

struct detected_dialect {
  llm::dialect dialect = llm::dialect::lorax;
  std::string evidence;  // what told it, for people: "GET /v1/models: a model owned_by vllm"
};

// Throws configuration_error naming both answers and the flag when neither tells, and
// start_error when the target does not answer.
detected_dialect detect_dialect(const target& t, std::chrono::milliseconds timeout = std::chrono::seconds{5});

// A dialect named (lorax, vllm, openai) or, for "auto", detect_dialect(t). `source` is where the
// name came from ("--dialect ", "LOADGATE_DIALECT="): the evidence of a named one, and the start
// of the configuration_error for any other name, which lists the names there are.
detected_dialect resolve_dialect(std::string_view name, const target& t, std::string_view source);

// The dialect LOADGATE_DIALECT names for GoogleTest scenarios (lorax, vllm, openai, or auto:
// detect_dialect(t)); nullopt when it is unset. Another value is a configuration_error that says
// which values there are. The evidence names the variable or what detection found.
std::optional<detected_dialect> dialect_from_env(const target& t);

}  // namespace loadgate
