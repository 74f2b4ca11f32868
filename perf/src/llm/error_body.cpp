#include "llm/error_body.hpp"

#include <nlohmann/json.hpp>

#include "loadgate/task.hpp"

namespace loadgate::llm {
namespace {

std::string string_or_empty(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<int> code_of(const nlohmann::json& object) {
  const auto it = object.find("code");
  if (it != object.end() && it->is_number_integer()) return it->get<int>();
  return std::nullopt;
}

}  // namespace

bool error_body::overloaded() const { return type == "overloaded" || code == 429; }

std::optional<error_body> find_error(const nlohmann::json& body) {
  if (!body.is_object()) return std::nullopt;
  if (const auto it = body.find("error"); it != body.end()) {
    if (it->is_string())
      return error_body{string_or_empty(body, "error_type"), it->get<std::string>(), code_of(body)};
    if (it->is_object())
      return error_body{string_or_empty(*it, "type"), string_or_empty(*it, "message"), code_of(*it)};
  }
  if (string_or_empty(body, "object") == "error")
    return error_body{string_or_empty(body, "type"), string_or_empty(body, "message"), code_of(body)};
  return std::nullopt;
}

failure_kind classify_error_response(unsigned status, std::string_view body, error_body& found) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (auto error = find_error(json)) found = std::move(*error);
  if (found.overloaded()) return failure_kind::overloaded;
  return failure_from_status(status).value_or(failure_kind::protocol);
}

}  // namespace loadgate::llm
