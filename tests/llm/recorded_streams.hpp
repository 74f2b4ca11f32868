#pragma once
// Byte streams as LoRAX and vLLM send them (shapes from /work/shared/reference/lorax-api.md).
#include <chrono>
#include <string>
#include <string_view>

#include "loadgate/observation.hpp"

namespace loadgate::llm::test {

// The instant a recorded exchange was sent; any fixed point will do, an hour after the clock's
// epoch keeps every offset from it positive.
inline const clock::time_point t0 = clock::time_point{} + std::chrono::hours{1};

// LoRAX /generate_stream: no space after "data:", a keep-alive comment, the final event carries
// the last token, generated_text and details.
inline constexpr std::string_view lorax_stream =
    "data:{\"token\":{\"id\":415,\"text\":\" The\",\"logprob\":-0.31,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
    ":\n\n"
    "data:{\"token\":{\"id\":416,\"text\":\" cat\",\"logprob\":-0.2,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
    "data:{\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":-0.1,\"special\":true},\"generated_text\":\" The cat</s>\","
    "\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,\"prompt_tokens\":5,\"seed\":null}}\n\n";

// vLLM chat stream with stream_options.include_usage: role-only first chunk, a finishing chunk
// without content, a usage-only chunk with "choices": [], then [DONE]. "data: " with a space.
inline constexpr std::string_view vllm_chat_stream =
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}],\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"a\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"total_tokens\":9,\"completion_tokens\":2}}\n\n"
    "data: [DONE]\n\n";

// LoRAX completions stream: usage on every chunk, zeros until the last.
inline constexpr std::string_view lorax_completions_stream =
    "data:{\"id\":\"x\",\"object\":\"text_completion\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"text\":\" A\",\"logprobs\":null,\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0,\"completion_tokens\":0}}\n\n"
    "data:{\"id\":\"x\",\"object\":\"text_completion\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"text\":\" B\",\"logprobs\":null,\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0,\"completion_tokens\":0}}\n\n"
    "data:{\"id\":\"x\",\"object\":\"text_completion\",\"created\":1,\"model\":\"a\",\"choices\":[{\"index\":0,\"text\":\" C\",\"logprobs\":null,\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":4,\"total_tokens\":7,\"completion_tokens\":3}}\n\n"
    "data:[DONE]\n\n";

inline constexpr std::string_view lorax_overloaded_stream =
    "data:{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}\n\n";

// Every '\n' replaced by `eol`.
inline std::string with_line_ends(std::string_view stream, std::string_view eol) {
  std::string out;
  for (const char c : stream) {
    if (c == '\n') {
      out.append(eol);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace loadgate::llm::test
