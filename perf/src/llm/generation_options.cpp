#include "loadgate/llm/generation_options.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {

void to_json(nlohmann::json& j, const generation_options& o) {
  j = {{"name", o.name},
       {"max_new_tokens", o.max_new_tokens},
       {"ignore_eos", o.ignore_eos},
       {"details", o.details},
       {"stream", o.stream},
       {"include_usage", o.include_usage},
       {"model", o.model},
       {"api_token_env", o.api_token_env},
       {"adapters", o.adapters},
       {"prompts", o.prompts},
       {"max_event_size", o.max_event_size}};
  if (o.temperature) j["temperature"] = *o.temperature;
  if (o.adapter_source) j["adapter_source"] = *o.adapter_source;
}

std::optional<std::string> api_token(const generation_options& o) {
  if (o.api_token_env.empty()) return std::nullopt;
  const char* value = std::getenv(o.api_token_env.c_str());
  if (value == nullptr || *value == '\0')
    throw configuration_error{"the API token variable " + o.api_token_env +
                              " is not set: export it, or leave api_token_env empty for a server without authentication"};
  return std::string{value};
}

}  // namespace loadgate::llm
