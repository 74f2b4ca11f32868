#include "loadgate/llm/lorax.hpp"

#include "llm_task.hpp"

namespace loadgate::lorax {

nlohmann::json request_body(const options& o, const llm::adapter& a, const llm::prompt& p) {
  nlohmann::json parameters = {{"max_new_tokens", p.max_new_tokens.value_or(o.max_new_tokens)},
                               {"details", o.details},
                               {"ignore_eos_token", o.ignore_eos}};
  if (!a.is_base_model()) {
    parameters["adapter_id"] = a.id;
    parameters["adapter_source"] = o.adapter_source.value_or(a.source);
  }
  if (o.temperature) parameters["temperature"] = *o.temperature;
  return {{"inputs", p.text}, {"parameters", std::move(parameters)}};
}

task generate(options o) {
  return llm::detail::make_task("lorax.generate", std::move(o), "generate", "/generate", false, request_body);
}

task generate_stream(options o) {
  return llm::detail::make_task("lorax.generate_stream", std::move(o), "generate_stream", "/generate_stream", true, request_body);
}

}  // namespace loadgate::lorax
