#pragma once
// OpenAI-compatible request shapes (LoRAX, vLLM, TGI): POST /v1/completions and
// /v1/chat/completions, streamed when options.stream is set. "model" names the adapter.
#include <nlohmann/json.hpp>

#include "loadgate/llm/adapter.hpp"
#include "loadgate/llm/generation_options.hpp"
#include "loadgate/llm/prompt_source.hpp"
#include "loadgate/task.hpp"

namespace loadgate::openai {

using options = llm::generation_options;

task completions(options o = {});
task chat_completions(options o = {});

// {"model", "prompt", "max_tokens", "stream", "stream_options"?, "temperature"?} and the dialect's
// extensions (loadgate/llm/dialect.hpp): lorax "adapter_source" (adapters), "ignore_eos_token"; vllm
// "ignore_eos". completions() and chat_completions() throw configuration_error for ignore_eos with
// the openai dialect.
nlohmann::json completions_body(const options& o, const llm::adapter& a, const llm::prompt& p);
// The same with "messages": [{"role": "user", "content": prompt}] instead of "prompt".
nlohmann::json chat_completions_body(const options& o, const llm::adapter& a, const llm::prompt& p);

}  // namespace loadgate::openai
