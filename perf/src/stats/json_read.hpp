#pragma once
// Reading result files: every malformed field is reported by name and path, as a
// configuration_error, instead of nlohmann's "type must be number" without a field.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::stats_detail {

[[noreturn]] inline void malformed(std::string_view where, std::string_view what) {
  throw configuration_error{"malformed " + std::string{where} + ": " + std::string{what}};
}

inline std::string json_type(const nlohmann::json& j) { return j.type_name(); }

inline void expect_object(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) malformed(where, "expected an object, got " + json_type(j));
}

inline const nlohmann::json& field(const nlohmann::json& j, std::string_view where, const char* name) {
  expect_object(j, where);
  const auto it = j.find(name);
  if (it == j.end()) malformed(where, std::string{"missing field '"} + name + "'");
  return *it;
}

// Accepts integers whether nlohmann stored them as signed (built in memory) or unsigned (parsed).
inline std::uint64_t as_unsigned(const nlohmann::json& v, std::string_view where, std::string_view name) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  malformed(where, "field '" + std::string{name} + "' must be a non-negative integer, got " +
                       (v.is_number() ? v.dump() : json_type(v)));
}

inline std::uint64_t read_unsigned(const nlohmann::json& j, std::string_view where, const char* name) {
  return as_unsigned(field(j, where, name), where, name);
}

inline double read_number(const nlohmann::json& j, std::string_view where, const char* name) {
  const auto& v = field(j, where, name);
  if (!v.is_number()) malformed(where, std::string{"field '"} + name + "' must be a number, got " + json_type(v));
  return v.get<double>();
}

inline std::string read_string(const nlohmann::json& j, std::string_view where, const char* name) {
  const auto& v = field(j, where, name);
  if (!v.is_string()) malformed(where, std::string{"field '"} + name + "' must be a string, got " + json_type(v));
  return v.get<std::string>();
}

}  // namespace loadgate::stats_detail
