#pragma once
// LoRAX / TGI request shapes: POST /generate (JSON) and POST /generate_stream (SSE).
#include <nlohmann/json.hpp>

#include "loadgate/llm/adapter.hpp"
#include "loadgate/llm/generation_options.hpp"
#include "loadgate/llm/prompt_source.hpp"
#include "loadgate/task.hpp"

namespace loadgate::lorax {

using options = llm::generation_options;

// Each request draws an adapter and a prompt with the user's rng. Readers: non_streaming_reader
// and stream_reader, which produce llm_observations.
task generate(options o = {});
task generate_stream(options o = {});

// {"inputs": "...", "parameters": {"max_new_tokens", "details", "ignore_eos_token",
//  "adapter_id", "adapter_source", "temperature"}}; adapter_id absent for the base model.
nlohmann::json request_body(const options& o, const llm::adapter& a, const llm::prompt& p);

}  // namespace loadgate::lorax
