#pragma once
// Strict reading of configuration JSON (scenario files, workload and LLM options): an unknown
// field or a wrong type is a configuration_error naming where and what, so a typo never falls back
// to a default silently.
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::detail {

inline void require_object(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) {
    throw configuration_error{std::string{where} + ": expected a JSON object, got " + j.type_name()};
  }
}

// "<where>: unknown field 'x'; allowed: a, b, c"
inline void reject_unknown_fields(const nlohmann::json& j, std::string_view where,
                                  std::initializer_list<std::string_view> allowed) {
  require_object(j, where);
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const auto a : allowed) known = known || a == key;
    if (known) continue;
    std::string list;
    for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string{a};
    throw configuration_error{std::string{where} + ": unknown field '" + key + "'; allowed: " + list};
  }
}

template <class T>
T field_or(const nlohmann::json& j, std::string_view where, const char* name, T fallback) {
  const auto it = j.find(name);
  if (it == j.end()) return fallback;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw configuration_error{std::string{where} + ": field '" + name + "' has the wrong type (" + it->type_name() +
                              ")"};
  }
}

}  // namespace loadgate::detail
