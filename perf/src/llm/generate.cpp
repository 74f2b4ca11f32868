#include "loadgate/llm/generate.hpp"

#include "llm_task.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/llm/openai.hpp"

namespace loadgate::llm {
namespace {

task dialect_generation(std::string_view type, generation_options o, bool stream) {
  o.stream = stream;
  std::string name = stream ? "generate_stream" : "generate";
  if (o.dialect == dialect::lorax)
    return detail::make_task(type, std::move(o), std::move(name), stream ? "/generate_stream" : "/generate", stream,
                             lorax::request_body);
  detail::refuse_ignore_eos_without_extension(o);
  return detail::make_task(type, std::move(o), std::move(name), "/v1/completions", stream, openai::completions_body);
}

}  // namespace

task generate(generation_options o) { return dialect_generation("llm.generate", std::move(o), false); }

task generate_stream(generation_options o) { return dialect_generation("llm.generate_stream", std::move(o), true); }

}  // namespace loadgate::llm
