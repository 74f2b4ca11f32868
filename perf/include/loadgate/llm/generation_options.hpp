#pragma once
// The knobs of an LLM request, shared by the LoRAX and OpenAI request shapes. An aggregate, so
// scenarios write lorax::generate({.max_new_tokens = 64, .ignore_eos = true}); every member has a
// default member initializer, so GCC's -Wmissing-field-initializers stays quiet about that.
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/llm/adapter_selection.hpp"
#include "loadgate/llm/dialect.hpp"
#include "loadgate/llm/prompt_source.hpp"
#include "loadgate/llm/sse_parser.hpp"

namespace loadgate::llm {

struct generation_options {
  std::string name{};               // statistics name; default: the route's ("generate", "chat_completions_stream", ...)
  unsigned max_new_tokens = 64;     // default 64 (never left to the server); a prompt's own value wins
  bool ignore_eos = false;          // default false; LoRAX ignore_eos_token, vLLM ignore_eos: exact output lengths
  std::optional<double> temperature{};  // default: the server's
  bool details = true;              // default true; LoRAX details: finish reason and token counts
  bool stream = false;              // default false; OpenAI routes (LoRAX's own and llm::generate have a function per mode)
  bool include_usage = true;        // default true; OpenAI streams: stream_options.include_usage
  std::string model{};              // default ""; OpenAI "model" of base-model requests
  std::optional<std::string> adapter_source{};  // default: each adapter's own source (hub)
  // OpenAI routes: whose extensions to send; dialect-neutral tasks (llm::generate): which route to
  // take (loadgate/llm/dialect.hpp). Default lorax; LoRAX's own routes (lorax::generate) are
  // LoRAX's whatever it says.
  llm::dialect dialect = llm::dialect::lorax;
  // The NAME of the environment variable holding the API token, sent as Authorization: Bearer.
  // Default none. The token itself is read when the task is made and is never stored here.
  std::string api_token_env{};
  adapter_selection adapters{};     // default: every request to the base model
  prompt_source prompts{};          // default: 128 synthetic words
  std::size_t max_event_size = sse_parser::default_max_event_size;  // default 1 MiB per SSE event
};

// Everything but secrets: api_token_env is the variable's name.
void to_json(nlohmann::json& j, const generation_options& o);
// Scenario files: the same keys as to_json writes (all optional; "adapters" and "prompts" as their
// own from_json). Unknown keys: configuration_error. Never a token, only api_token_env.
void from_json(const nlohmann::json& j, generation_options& o);

// The token named by o.api_token_env; nullopt when no name is given. Throws configuration_error
// when the variable is named but not set, so a run never goes out unauthenticated by mistake.
std::optional<std::string> api_token(const generation_options& o);

}  // namespace loadgate::llm
