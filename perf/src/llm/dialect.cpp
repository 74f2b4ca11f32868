#include "loadgate/llm/dialect.hpp"

namespace loadgate::llm {

std::string_view to_string(dialect d) {
  switch (d) {
    case dialect::lorax: return "lorax";
    case dialect::vllm: return "vllm";
    case dialect::openai: return "openai";
  }
  return "?";
}

std::optional<dialect> dialect_from_string(std::string_view name) {
  for (const auto d : {dialect::lorax, dialect::vllm, dialect::openai})
    if (name == to_string(d)) return d;
  return std::nullopt;
}

}  // namespace loadgate::llm
