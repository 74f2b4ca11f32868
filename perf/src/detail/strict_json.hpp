#pragma once
// The one strict JSON reader. Every malformed input is a configuration_error naming where and
// what, so a typo never falls back to a default silently and nlohmann's "type must be number"
// never reaches a user without its field.
//
// Two phrasings, for two kinds of input:
// - configuration people write (scenario files, workload and LLM options): "<where>: <what>",
//   with unknown fields rejected and optional fields read with a fallback;
// - files loadgate wrote (results, baselines): "malformed <where>: <what>", every field required.
#include <chrono>
#include <cmath>
#include <cstdint>
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

// ---- configuration: numbers, types and durations ----

inline double number_field(const nlohmann::json& j, std::string_view where, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) throw configuration_error{std::string{where} + ": missing field '" + name + "'"};
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
    throw configuration_error{std::string{where} + ": field '" + name + "' must be a number >= 0, got " + it->dump()};
  return it->get<double>();
}

inline double number_field(const nlohmann::json& j, std::string_view where, const char* name, double fallback) {
  return j.contains(name) ? number_field(j, where, name) : fallback;
}

inline std::string type_field(const nlohmann::json& j, std::string_view where) {
  const auto it = j.is_object() ? j.find("type") : j.end();
  if (it == j.end() || !it->is_string())
    throw configuration_error{std::string{where} + ": field 'type' (a string) is required, got " + j.dump()};
  return it->get<std::string>();
}

// Configuration durations are decimal numbers of a unit; rounded to the nearest nanosecond.
template <class Unit>
std::chrono::nanoseconds from_unit(double amount, std::string_view where, const char* name) {
  const double ns = amount * static_cast<double>(std::chrono::nanoseconds{Unit{1}}.count());
  if (!(ns < 1e18))  // ~31 years; llround beyond int64 is undefined
    throw configuration_error{std::string{where} + ": field '" + name + "' is too long a duration"};
  return std::chrono::nanoseconds{std::llround(ns)};
}

template <class Unit>
double to_unit(std::chrono::nanoseconds d) {
  return std::chrono::duration<double, typename Unit::period>(d).count();
}

// ---- files loadgate wrote ----

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

}  // namespace loadgate::detail
