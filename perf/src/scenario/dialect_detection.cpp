#include "loadgate/dialect_detection.hpp"

#include <nlohmann/json.hpp>

#include "detail/environment.hpp"
#include "loadgate/error.hpp"
#include "protocol/fetch.hpp"

namespace loadgate {
namespace {

using nlohmann::json;

json json_or_null(const protocol::fetched& answer) {
  if (answer.status != 200) return nullptr;
  return json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
}

// A member's text, or "" when it is absent or not a string (a server's JSON is not trusted).
std::string text_of(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// "200, not JSON", "404": what an answer was, for the error that says neither told.
std::string described(const protocol::fetched& answer) {
  std::string text = "HTTP " + std::to_string(answer.status);
  if (answer.status == 200) text += json::accept(answer.body) ? ", JSON of another shape" : ", not JSON";
  return text;
}

}  // namespace

detected_dialect detect_dialect(const target& t, std::chrono::milliseconds timeout) {
  const auto info_answer = protocol::fetch(t, "/info", timeout);
  const auto info = json_or_null(info_answer);
  if (info.is_object() && info.contains("model_id") && info.contains("waiting_served_ratio") &&
      info.contains("max_batch_total_tokens"))
    return {llm::dialect::lorax, "GET /info answered LoRAX's Info (model_id " + info["model_id"].dump() + ")"};

  const auto models_answer = protocol::fetch(t, "/v1/models", timeout);
  const auto models = json_or_null(models_answer);
  if (models.is_object() && text_of(models, "object") == "list" && models.contains("data") && models["data"].is_array()) {
    for (const auto& model : models["data"])
      if (model.is_object() && text_of(model, "owned_by") == "vllm")
        return {llm::dialect::vllm, "GET /v1/models: model " + text_of(model, "id") + " is owned_by vllm"};
    return {llm::dialect::openai, "GET /v1/models: a model list in OpenAI's shape, no model owned_by vllm"};
  }
  throw configuration_error{"cannot tell which server " + t.url() + " is: GET /info answered " + described(info_answer) +
                            " (not LoRAX's Info) and GET /v1/models " + described(models_answer) +
                            " (not a model list); name its dialect: --dialect lorax, vllm or openai"};
}

detected_dialect resolve_dialect(std::string_view name, const target& t, std::string_view source) {
  if (name == "auto") return detect_dialect(t);
  const auto named = llm::dialect_from_string(name);
  if (!named) throw configuration_error{std::string{source} + std::string{name} + ": use lorax, vllm, openai or auto"};
  return {*named, std::string{source} + std::string{name}};
}

std::optional<detected_dialect> dialect_from_env(const target& t) {
  const auto name = detail::env_value("LOADGATE_DIALECT");
  if (!name) return std::nullopt;
  return resolve_dialect(*name, t, "LOADGATE_DIALECT=");
}

}  // namespace loadgate
