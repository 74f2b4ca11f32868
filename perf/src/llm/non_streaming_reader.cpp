#include "loadgate/llm/non_streaming_reader.hpp"

#include <nlohmann/json.hpp>

#include "llm/json_count.hpp"

#include "llm/error_body.hpp"

namespace loadgate::llm {
namespace {

constexpr std::size_t small_body = 1u << 20;

using nlohmann::json;

using detail::count_at;

std::optional<std::string> string_at(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it != object.end() && it->is_string()) return it->get<std::string>();
  return std::nullopt;
}

const json* object_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

}  // namespace

void non_streaming_reader::on_body_length(std::uint64_t bytes) {
  if (bytes > max_body_size_) too_large_ = true;
  else body_.reserve(static_cast<std::size_t>(bytes));
}

void non_streaming_reader::on_body(std::string_view bytes, clock::time_point) {
  if (too_large_) return;
  const auto needed = body_.size() + bytes.size();
  if (needed > max_body_size_) {
    too_large_ = true;
    std::string{}.swap(body_);  // frees it now, not when the exchange ends
    return;
  }
  // A body of unknown length (chunked) that passes 1 MiB gets room for the limit at once: growing
  // by doubling leaves the allocator every step and its copy, about three times the limit at the
  // peak, where a reservation costs only the pages written into it.
  if (needed > body_.capacity() && needed > small_body) body_.reserve(max_body_size_);
  body_.append(bytes);
}

std::optional<failure_kind> non_streaming_reader::finish(clock::time_point done) {
  auto& o = observation_;
  o.e2e = done - o.t0;
  if (o.status < 200 || o.status >= 300) {
    error_body found;
    const auto kind = classify_error_response(o.status, body_, found);
    o.error_type = std::move(found.type);
    o.error_message = std::move(found.message);
    return conclude(kind);
  }
  return conclude(read_body());
}

// LoRAX: {"generated_text", "details": {finish_reason, generated_tokens, prompt_tokens}}, or in an
// array of one;
// OpenAI: {"choices": [{"finish_reason"}], "usage": {completion_tokens, prompt_tokens}}.
std::optional<failure_kind> non_streaming_reader::read_body() {
  auto& o = observation_;
  if (too_large_) {
    o.error_message = "response body larger than the reader's limit";
    return failure_kind::protocol;
  }
  json body = json::parse(body_, nullptr, /*allow_exceptions=*/false);
  // LoRAX's POST / and /invocations (its Python client's routes) answer a one-element array.
  if (body.is_array() && body.size() == 1 && body.front().is_object()) body = std::move(body.front());
  if (!body.is_object()) {
    o.error_message = "response body is not a JSON object";
    return failure_kind::protocol;
  }
  if (auto error = find_error(body)) {
    const auto kind = error->overloaded() ? failure_kind::overloaded : failure_kind::stream_error;
    o.error_type = std::move(error->type);
    o.error_message = std::move(error->message);
    return kind;
  }
  if (const json* details = object_at(body, "details")) {
    o.finish_reason = string_at(*details, "finish_reason");
    o.output_tokens = count_at(*details, "generated_tokens");
    o.prompt_tokens = count_at(*details, "prompt_tokens");
  }
  if (const auto choices = body.find("choices");
      choices != body.end() && choices->is_array() && !choices->empty() && choices->front().is_object())
    o.finish_reason = string_at(choices->front(), "finish_reason");
  if (const json* usage = object_at(body, "usage")) {
    o.output_tokens = count_at(*usage, "completion_tokens");
    o.prompt_tokens = count_at(*usage, "prompt_tokens");
  }
  if (o.output_tokens) o.token_source = token_count_source::server;
  return std::nullopt;
}

}  // namespace loadgate::llm
