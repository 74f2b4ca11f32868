#include "loadgate/llm/generation_options.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"
#include "loadgate/error.hpp"

namespace loadgate::llm {
using loadgate::detail::field_or;
using loadgate::detail::reject_unknown_fields;
using loadgate::detail::require_object;

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
  // Only when chosen: LoRAX's own routes ignore it, and their baselines' fingerprints stay as they
  // were. OpenAI tasks always write it (llm_task.cpp), since it changes what they send.
  if (o.dialect != dialect::lorax) j["dialect"] = std::string{to_string(o.dialect)};
}

std::optional<std::string> api_token(const generation_options& o) {
  if (o.api_token_env.empty()) return std::nullopt;
  const char* value = std::getenv(o.api_token_env.c_str());
  if (value == nullptr || *value == '\0')
    throw configuration_error{"the API token variable " + o.api_token_env +
                              " is not set: export it, or leave api_token_env empty for a server without authentication"};
  return std::string{value};
}

void from_json(const nlohmann::json& j, generation_options& o) {
  constexpr std::string_view where = "generation options";
  require_object(j, where);
  reject_unknown_fields(j, where,
                         {"name", "max_new_tokens", "ignore_eos", "temperature", "details", "stream", "include_usage",
                          "model", "adapter_source", "dialect", "api_token_env", "adapters", "prompts", "max_event_size"});
  generation_options read;
  read.name = field_or(j, where, "name", read.name);
  read.max_new_tokens = field_or(j, where, "max_new_tokens", read.max_new_tokens);
  if (read.max_new_tokens == 0) throw configuration_error{"generation options: max_new_tokens must be at least 1"};
  read.ignore_eos = field_or(j, where, "ignore_eos", read.ignore_eos);
  if (j.contains("temperature")) read.temperature = field_or<double>(j, where, "temperature", 1.0);
  read.details = field_or(j, where, "details", read.details);
  read.stream = field_or(j, where, "stream", read.stream);
  read.include_usage = field_or(j, where, "include_usage", read.include_usage);
  read.model = field_or(j, where, "model", read.model);
  if (j.contains("adapter_source")) read.adapter_source = field_or<std::string>(j, where, "adapter_source", "hub");
  if (j.contains("dialect")) {
    const auto name = field_or<std::string>(j, where, "dialect", "lorax");
    const auto d = dialect_from_string(name);
    if (!d) throw configuration_error{"generation options: unknown dialect '" + name + "' (lorax, vllm or openai)"};
    read.dialect = *d;
  }
  read.api_token_env = field_or(j, where, "api_token_env", read.api_token_env);
  if (const auto it = j.find("adapters"); it != j.end()) read.adapters = it->get<adapter_selection>();
  if (const auto it = j.find("prompts"); it != j.end()) read.prompts = it->get<prompt_source>();
  read.max_event_size = field_or(j, where, "max_event_size", read.max_event_size);
  o = std::move(read);
}

}  // namespace loadgate::llm
