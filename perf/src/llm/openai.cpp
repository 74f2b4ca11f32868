#include "loadgate/llm/openai.hpp"

#include "llm_task.hpp"
#include "loadgate/error.hpp"

namespace loadgate::openai {
namespace {

nlohmann::json common_body(const options& o, const llm::adapter& a, const llm::prompt& p) {
  nlohmann::json body = {{"model", a.is_base_model() ? o.model : a.id},
                         {"max_tokens", p.max_new_tokens.value_or(o.max_new_tokens)},
                         {"stream", o.stream}};
  // Without include_usage vLLM sends no token counts in a stream; LoRAX ignores the field.
  if (o.stream && o.include_usage) body["stream_options"] = {{"include_usage", true}};
  // Each server's own names (llm/dialect.hpp); extensions are sent only when they say something.
  if (o.dialect == llm::dialect::lorax) {
    if (!a.is_base_model()) body["adapter_source"] = o.adapter_source.value_or(a.source);
    if (o.ignore_eos) body["ignore_eos_token"] = true;
  }
  if (o.dialect == llm::dialect::vllm && o.ignore_eos) body["ignore_eos"] = true;
  if (o.temperature) body["temperature"] = *o.temperature;
  return body;
}

std::string name_for(const options& o, const char* route) {
  return o.stream ? std::string{route} + "_stream" : std::string{route};
}

}  // namespace

nlohmann::json completions_body(const options& o, const llm::adapter& a, const llm::prompt& p) {
  auto body = common_body(o, a, p);
  body["prompt"] = p.text;
  return body;
}

nlohmann::json chat_completions_body(const options& o, const llm::adapter& a, const llm::prompt& p) {
  auto body = common_body(o, a, p);
  body["messages"] = nlohmann::json::array({{{"role", "user"}, {"content", p.text}}});
  return body;
}

task completions(options o) {
  llm::detail::refuse_ignore_eos_without_extension(o);
  auto name = name_for(o, "completions");
  const bool stream = o.stream;
  return llm::detail::make_task("openai.completions", std::move(o), std::move(name), "/v1/completions", stream, completions_body);
}

task chat_completions(options o) {
  llm::detail::refuse_ignore_eos_without_extension(o);
  auto name = name_for(o, "chat_completions");
  const bool stream = o.stream;
  return llm::detail::make_task("openai.chat_completions", std::move(o), std::move(name), "/v1/chat/completions", stream, chat_completions_body);
}

}  // namespace loadgate::openai

namespace loadgate::llm::detail {

// Refused when the task is made, not at the first request: OpenAI's API has no way to ask for it.
void refuse_ignore_eos_without_extension(const generation_options& o) {
  if (o.dialect == dialect::openai && o.ignore_eos)
    throw configuration_error{"ignore_eos is not part of OpenAI's API, so an \"openai\" dialect target cannot be asked "
                              "for exact output lengths: use the dialect lorax (ignore_eos_token) or vllm (ignore_eos), "
                              "or leave ignore_eos off"};
}

}  // namespace loadgate::llm::detail
