#pragma once
// A generation that names no server: the route and body follow options.dialect, so one scenario
// runs unchanged against LoRAX, vLLM or any OpenAI-compatible server (loadgate run --dialect,
// LOADGATE_DIALECT for GoogleTest scenarios):
// - lorax: LoRAX's own routes, POST /generate or /generate_stream (lorax::request_body);
// - vllm, openai: POST /v1/completions, streamed or not (openai::completions_body, the adapter
//   as "model").
// The statistics name is "generate" or "generate_stream" whatever the dialect, so SLOs and
// baselines name the task once; a dialect is part of the task's description, so a baseline
// recorded against one server is stale against another.
#include "loadgate/llm/generation_options.hpp"
#include "loadgate/task.hpp"

namespace loadgate::llm {

// options.stream is set by the choice of function.
task generate(generation_options o = {});
task generate_stream(generation_options o = {});

}  // namespace loadgate::llm
