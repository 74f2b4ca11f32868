#include "llm_task.hpp"

#include <memory>

#include "loadgate/llm/non_streaming_reader.hpp"
#include "loadgate/llm/stream_reader.hpp"

namespace loadgate::llm::detail {

task make_task(std::string_view type, generation_options o, std::string default_name, std::string path, bool stream,
               body_builder body) {
  if (o.name.empty()) o.name = std::move(default_name);
  // Read once, here; kept only inside the closure, never in anything serialised.
  std::optional<std::string> authorization;
  if (auto token = api_token(o)) authorization = "Bearer " + *token;
  task t;
  t.name = o.name;
  // The options as written (the token's variable name, not its value), as a scenario file has them.
  nlohmann::json spec = o;
  spec["type"] = type;
  // An OpenAI route's body, and a dialect-neutral task's route, depend on the dialect; the default
  // is left out of generation options (LoRAX's own routes ignore it), so it is written here: an OpenAI task recorded before dialects
  // existed sent vLLM's ignore_eos and no adapter_source, and its baseline must read as stale.
  if (!type.starts_with("lorax.")) spec["dialect"] = std::string{to_string(o.dialect)};
  t.description = spec.dump();
  const auto max_event_size = o.max_event_size;
  t.request = [o = std::move(o), path = std::move(path), stream, body,
               authorization = std::move(authorization)](task_context& ctx) {
    const auto chosen = o.adapters.next(ctx.rng);
    const auto p = o.prompts.next(ctx.rng);
    http_request r;
    r.method = "POST";
    r.path = path;
    r.body = body(o, chosen, p).dump();
    r.adapter = chosen.id;
    if (stream) r.headers.emplace_back("Accept", "text/event-stream");
    if (authorization) r.headers.emplace_back("Authorization", *authorization);
    return r;
  };
  if (stream) {
    t.reader = [max_event_size]() -> std::unique_ptr<response_reader> {
      return std::make_unique<stream_reader>(max_event_size);
    };
  } else {
    t.reader = []() -> std::unique_ptr<response_reader> { return std::make_unique<non_streaming_reader>(); };
  }
  return t;
}

}  // namespace loadgate::llm::detail
