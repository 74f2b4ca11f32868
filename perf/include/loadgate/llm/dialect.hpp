#pragma once
// Which server an OpenAI-compatible route speaks to, and which route a dialect-neutral task takes
// (loadgate/llm/generate.hpp). The routes share OpenAI's shape, but each
// server reads its own extensions and drops what it does not know without a word, so a field
// sent under another server's name is lost silently:
// - lorax: adapter_source (top-level: without it LoRAX loads every adapter from the hub, and s3,
//   local and pbase adapters fail with 424) and ignore_eos_token;
// - vllm: ignore_eos; adapters are loaded by the server's own configuration;
// - openai: none; ignore_eos is refused, since OpenAI's API cannot ask for it.
// The server's TTFT header, where there is one, means each server's own thing and is never
// compared across dialects (LoRAX's runs from batch entry to the end of prefill).
#include <optional>
#include <string_view>

namespace loadgate::llm {

enum class dialect { lorax, vllm, openai };

std::string_view to_string(dialect d);
std::optional<dialect> dialect_from_string(std::string_view name);  // "lorax", "vllm", "openai"

}  // namespace loadgate::llm
