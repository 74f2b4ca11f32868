#pragma once
// Strict reading of the LLM options in scenario files: an unknown key or a wrong type is a
// configuration_error naming where and what, so a typo never falls back to a default silently.
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm::detail {

inline void require_object(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) throw configuration_error{std::string{where} + ": expected a JSON object, got " + j.type_name()};
}

inline void reject_unknown(const nlohmann::json& j, std::string_view where, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : j.items()) {
    bool found = false;
    for (const auto k : known) found = found || k == key;
    if (found) continue;
    std::string list;
    for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string{k};
    throw configuration_error{std::string{where} + ": unknown field '" + key + "' (known: " + list + ")"};
  }
}

template <class T>
T value_or(const nlohmann::json& j, std::string_view where, const char* key, T fallback) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw configuration_error{std::string{where} + ": field '" + key + "' has the wrong type (" + it->type_name() + ")"};
  }
}

}  // namespace loadgate::llm::detail
