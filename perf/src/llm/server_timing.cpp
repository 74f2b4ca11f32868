#include "loadgate/llm/server_timing.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "detail/ascii.hpp"

namespace loadgate::llm {
namespace {

using loadgate::detail::iequals;
using loadgate::detail::trim_blanks;

template <class T>
std::optional<T> number(std::string_view text) {
  text = trim_blanks(text);
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>) {
    if (!(value >= 0)) return std::nullopt;  // negative or NaN: not a duration
  }
  return value;
}

template <class T>
bool set(std::optional<T>& field, std::string_view value) {
  if (auto parsed = number<T>(value)) field = *parsed;
  return true;
}

// LoRAX's (and TGI's) timing headers are whole milliseconds, truncated (Rust's as_millis): "12"
// means 12.0 to 12.999 ms. Read as written, every such time would be half a millisecond short on
// average, and the client − server differences half a millisecond long; the middle of the interval
// is the unbiased reading. A value written with a fraction is taken as it is.
bool set_truncated_ms(std::optional<double>& field, std::string_view value) {
  if (auto parsed = number<double>(value)) field = trim_blanks(value).find('.') == std::string_view::npos ? *parsed + 0.5 : *parsed;
  return true;
}

}  // namespace

bool server_timing::capture(std::string_view name, std::string_view value) {
  if (name.size() < 2 || !iequals(name.substr(0, 2), "x-")) return false;
  if (iequals(name, "x-queue-time")) return set_truncated_ms(queue_ms, value);
  if (iequals(name, "x-time-to-first-token")) return set_truncated_ms(time_to_first_token_ms, value);
  if (iequals(name, "x-inference-time")) return set_truncated_ms(inference_ms, value);
  if (iequals(name, "x-total-time")) return set_truncated_ms(total_ms, value);
  if (iequals(name, "x-time-per-token")) return set_truncated_ms(time_per_token_ms, value);
  if (iequals(name, "x-time-per-output-token")) return set_truncated_ms(time_per_output_token_ms, value);
  if (iequals(name, "x-generated-tokens")) return set(generated_tokens, value);
  if (iequals(name, "x-prompt-tokens")) return set(prompt_tokens, value);
  if (iequals(name, "x-adapter-load-time")) return set(adapter_load_ms, value);
  if (iequals(name, "x-adapter-id")) {
    adapter_id = std::string{trim_blanks(value)};
    return true;
  }
  return false;
}

void server_timing::capture_event_timings(const nlohmann::json& timings) {
  if (!timings.is_object()) return;
  const auto take = [&timings](const char* key, std::optional<double>& field) {
    const auto it = timings.find(key);
    if (it != timings.end() && it->is_number() && it->get<double>() >= 0) field = it->get<double>();
  };
  take("queue_ms", queue_ms);
  take("time_to_first_token_ms", time_to_first_token_ms);
  take("time_per_token_ms", time_per_token_ms);
  take("time_per_output_token_ms", time_per_output_token_ms);
  take("inference_ms", inference_ms);
  take("total_ms", total_ms);
  take("adapter_load_ms", adapter_load_ms);
}

void to_json(nlohmann::json& j, const server_timing& t) {
  j = nlohmann::json::object();
  const auto put = [&j](const char* key, const auto& field) {
    if (field) j[key] = *field;
  };
  put("queue_ms", t.queue_ms);
  put("time_to_first_token_ms", t.time_to_first_token_ms);
  put("inference_ms", t.inference_ms);
  put("total_ms", t.total_ms);
  put("time_per_token_ms", t.time_per_token_ms);
  put("time_per_output_token_ms", t.time_per_output_token_ms);
  put("generated_tokens", t.generated_tokens);
  put("prompt_tokens", t.prompt_tokens);
  put("adapter_id", t.adapter_id);
  put("adapter_load_ms", t.adapter_load_ms);
}

}  // namespace loadgate::llm
