#pragma once
// Strict reading of JSON objects: unknown fields and wrong types are configuration errors that
// name the field, so a typo in a scenario file never silently falls back to a default.
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::config {

void require_object(const nlohmann::json& j, std::string_view where);
void reject_unknown_fields(const nlohmann::json& j, std::string_view where,
                           std::initializer_list<std::string_view> known);

template <class T>
T field(const nlohmann::json& j, std::string_view where, const char* name, T fallback) {
  const auto it = j.find(name);
  if (it == j.end()) return fallback;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw configuration_error(std::string{where} + ": field '" + name + "' has the wrong type (" +
                              it->type_name() + ")");
  }
}

}  // namespace loadgate::config
