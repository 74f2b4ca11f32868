#include "loadgate/gate/capacity_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "detail/format_number.hpp"

namespace loadgate {

namespace {

using detail::format_number;

std::string load_number(capacity_axis by, double load) {
  if (std::isinf(load)) return "∞";
  return by == capacity_axis::rate ? format_number(load, "%.1f") : format_number(load, "%.0f");
}

// JSON has no infinity: an open bracket's end is written as null.
nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double from_finite_or_null(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::infinity() : j.get<double>();
}

capacity_axis axis_from(const std::string& text) {
  if (text == "rate") return capacity_axis::rate;
  if (text == "users") return capacity_axis::users;
  throw std::runtime_error{"unknown capacity axis '" + text + "' (rate or users)"};
}

capacity_outcome outcome_from(const std::string& text) {
  if (text == "met") return capacity_outcome::met;
  if (text == "missed") return capacity_outcome::missed;
  if (text == "overload") return capacity_outcome::overload;
  throw std::runtime_error{"unknown capacity point outcome '" + text + "' (met, missed or overload)"};
}

}  // namespace

std::string_view to_string(capacity_axis a) { return a == capacity_axis::rate ? "rate" : "users"; }
std::string_view unit_of(capacity_axis a) { return a == capacity_axis::rate ? "req/s" : "users"; }

std::string format_load(capacity_axis by, double load) { return load_number(by, load) + " " + std::string{unit_of(by)}; }

std::string_view to_string(capacity_outcome o) {
  switch (o) {
    case capacity_outcome::met: return "met";
    case capacity_outcome::missed: return "missed";
    case capacity_outcome::overload: return "overload";
  }
  return "?";
}

double capacity_estimate::certain_low() const {
  double low = 0;
  for (const auto& p : points)
    if (p.met() && !p.decided_at_bound) low = std::max(low, p.load);
  return low;
}

double capacity_estimate::certain_high() const {
  double high = std::numeric_limits<double>::infinity();
  for (const auto& p : points)
    if (!p.met() && !p.decided_at_bound) high = std::min(high, p.load);
  return high;
}

double capacity_estimate::middle() const { return std::isfinite(high) ? (low + high) / 2 : low; }

std::string capacity_estimate::summary() const {
  const auto points_text = " after " + std::to_string(points.size()) + (points.size() == 1 ? " point" : " points");
  if (!found) {
    double lowest = std::numeric_limits<double>::infinity();
    for (const auto& p : points) lowest = std::min(lowest, p.load);
    return "no load met the SLOs" + (points.empty() ? std::string{} : " (lowest tried " + format_load(by, lowest) + ")");
  }
  return format_load(by, value) + " [" + load_number(by, low) + ", " + load_number(by, high) + ")" + points_text;
}

void to_json(nlohmann::json& j, const capacity_point& p) {
  j = {{"load", p.load},   {"outcome", std::string{to_string(p.outcome)}}, {"decided_at_bound", p.decided_at_bound}, {"runs", p.runs}, {"achieved", p.achieved},
       {"checks", p.checks}, {"reason", p.reason}, {"folder", p.folder}};
}

void from_json(const nlohmann::json& j, capacity_point& p) {
  p.load = j.at("load").get<double>();
  p.outcome = outcome_from(j.at("outcome").get<std::string>());
  p.decided_at_bound = j.value("decided_at_bound", false);
  p.runs = j.at("runs").get<std::size_t>();
  p.achieved = j.at("achieved").get<double>();
  p.checks = j.at("checks").get<std::vector<slo_estimate>>();
  p.reason = j.value("reason", std::string{});
  p.folder = j.value("folder", std::string{});
}

void to_json(nlohmann::json& j, const capacity_estimate& c) {
  j = {{"by", std::string{to_string(c.by)}}, {"unit", std::string{unit_of(c.by)}}, {"found", c.found},
       {"value", c.value}, {"low", c.low}, {"high", finite_or_null(c.high)}, {"precision", c.precision},
       {"points", c.points}, {"note", c.note}, {"summary", c.summary()}};
}

void from_json(const nlohmann::json& j, capacity_estimate& c) {
  c.by = axis_from(j.at("by").get<std::string>());
  c.found = j.at("found").get<bool>();
  c.value = j.at("value").get<double>();
  c.low = j.at("low").get<double>();
  c.high = from_finite_or_null(j.at("high"));
  c.precision = j.value("precision", 0.0);
  c.points = j.at("points").get<std::vector<capacity_point>>();
  c.note = j.value("note", std::string{});
}

}  // namespace loadgate
