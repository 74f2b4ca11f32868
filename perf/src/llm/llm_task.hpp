#pragma once
// What every LLM request shape does per request: draw an adapter and a prompt, build the JSON
// body, attach the token, and pick the reader for the mode.
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/llm/adapter.hpp"
#include "loadgate/llm/generation_options.hpp"
#include "loadgate/llm/prompt_source.hpp"
#include "loadgate/task.hpp"

namespace loadgate::llm::detail {

using body_builder = nlohmann::json (*)(const generation_options&, const adapter&, const prompt&);

// `type` is the scenario file's name of the shape ("lorax.generate", "openai.chat_completions"): the
// task's description is {"type": type, ...options}, the very spec a scenario file rebuilds it from.
task make_task(std::string_view type, generation_options o, std::string default_name, std::string path, bool stream,
               body_builder body);

// OpenAI-route tasks: ignore_eos with the openai dialect is a configuration_error (no field asks it).
void refuse_ignore_eos_without_extension(const generation_options& o);

}  // namespace loadgate::llm::detail
