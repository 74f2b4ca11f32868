#include "loadgate/llm/stream_chunk.hpp"

#include <nlohmann/json.hpp>

#include "llm/json_count.hpp"

#include "llm/error_body.hpp"

namespace loadgate::llm {
namespace {

using nlohmann::json;

using detail::count_at;

bool non_empty_string(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

// data:{"token":{...},"generated_text":null|"...","details":null|{...}}
void read_lorax(const json& event, stream_chunk& chunk) {
  const auto token = event.find("token");
  chunk.content = token != event.end() && token->is_object();
  const auto text = event.find("generated_text");
  const auto details = event.find("details");
  const bool has_text = text != event.end() && !text->is_null();
  const bool has_details = details != event.end() && details->is_object();
  chunk.final = has_text || has_details;
  if (!has_details) return;
  if (const auto reason = details->find("finish_reason"); reason != details->end() && reason->is_string())
    chunk.finish_reason = reason->get<std::string>();
  chunk.generated_tokens = count_at(*details, "generated_tokens");
  chunk.prompt_tokens = count_at(*details, "prompt_tokens");
}

// Completions: choices[0].text; chat: choices[0].delta.content (a role-only delta is no token).
void read_openai(const json& event, stream_chunk& chunk) {
  const auto choices = event.find("choices");
  if (choices != event.end() && choices->is_array() && !choices->empty() && choices->front().is_object()) {
    const auto& choice = choices->front();
    const auto delta = choice.find("delta");
    chunk.content = non_empty_string(choice, "text") ||
                    (delta != choice.end() && delta->is_object() && non_empty_string(*delta, "content"));
    if (const auto reason = choice.find("finish_reason"); reason != choice.end() && reason->is_string())
      chunk.finish_reason = reason->get<std::string>();
  }
  if (const auto usage = event.find("usage"); usage != event.end() && usage->is_object()) {
    chunk.generated_tokens = count_at(*usage, "completion_tokens");
    chunk.prompt_tokens = count_at(*usage, "prompt_tokens");
  }
}

stream_chunk protocol_error(std::string message) {
  stream_chunk chunk;
  chunk.failure = failure_kind::protocol;
  chunk.error_message = std::move(message);
  return chunk;
}

}  // namespace

stream_chunk classify_chunk(std::string_view data) {
  if (data == "[DONE]") {
    stream_chunk done;
    done.final = true;
    return done;
  }
  const json event = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded()) return protocol_error("stream event is not JSON");
  if (!event.is_object()) return protocol_error("stream event is not a JSON object");

  stream_chunk chunk;
  if (auto error = find_error(event)) {
    // LoRAX's router says so when its model server's stream ended before the final message: the
    // same failure as a stream cut without a word.
    chunk.failure = error->overloaded()                       ? failure_kind::overloaded
                    : error->type == "incomplete_generation" ? failure_kind::incomplete
                                                              : failure_kind::stream_error;
    chunk.error_type = std::move(error->type);
    chunk.error_message = std::move(error->message);
    return chunk;
  }
  if (event.contains("choices") || event.contains("usage")) {
    read_openai(event, chunk);
  } else {
    read_lorax(event, chunk);
  }
  if (const auto timings = event.find("timings"); timings != event.end() && timings->is_object()) {
    chunk.timings.emplace();
    chunk.timings->capture_event_timings(*timings);
  }
  return chunk;
}

}  // namespace loadgate::llm
