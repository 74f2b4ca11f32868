#pragma once
// Strict reading of workload configuration: unknown fields and wrong types are configuration
// errors naming the field and the allowed ones, so a typo never falls back to a default.
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"
#include "loadgate/error.hpp"

namespace loadgate::workload_detail {

inline void check_fields(const nlohmann::json& j, std::string_view where, std::initializer_list<std::string_view> allowed) {
  detail::reject_unknown_fields(j, where, allowed);
}

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

}  // namespace loadgate::workload_detail
