#pragma once
// What every LLM request shape does per request: draw an adapter and a prompt, build the JSON
// body, attach the token, and pick the reader for the mode.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate/llm/adapter.hpp"
#include "loadgate/llm/generation_options.hpp"
#include "loadgate/llm/prompt_source.hpp"
#include "loadgate/task.hpp"

namespace loadgate::llm::detail {

using body_builder = nlohmann::json (*)(const generation_options&, const adapter&, const prompt&);

task make_task(generation_options o, std::string default_name, std::string path, bool stream, body_builder body);

}  // namespace loadgate::llm::detail
