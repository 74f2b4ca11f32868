#pragma once
// A capacity: the highest load (arrival rate or users) at which a service met every SLO, with the
// bracket that the search left around it and the evidence of every point it tried; and the gate
// on it, which compares a capacity with the baseline's ("capacity 212 req/s → 180 req/s, −15 %
// [−19, −11] → regression"). The search itself runs load, so it lives in loadgate/capacity.hpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/gate/slo_interval.hpp"

namespace loadgate {

enum class capacity_axis : std::uint8_t { rate, users };
std::string_view to_string(capacity_axis a);  // "rate", "users"
std::string_view unit_of(capacity_axis a);    // "req/s", "users"
std::string format_load(capacity_axis by, double load);  // "212.5 req/s", "48 users"

enum class capacity_outcome : std::uint8_t {
  met,       // every SLO met
  missed,    // an SLO missed (or still too close to call after the bounded repeats)
  overload,  // failures beyond the limit, or the achieved rate fell short of the target: the search stops rising
};
std::string_view to_string(capacity_outcome o);

// What one load did.
struct capacity_point {
  double load = 0;
  capacity_outcome outcome = capacity_outcome::missed;
  // Still too close to call after the bounded repeats, so the pooled value decided: the outcome
  // is the nearer side, not a certainty, and the capacity gate does not lean on it.
  bool decided_at_bound = false;
  std::size_t runs = 0;
  double achieved = 0;  // completed requests per second over the runs' steady windows
  std::vector<slo_estimate> checks;
  std::string reason;   // why missed or overloaded, in one line
  std::string folder;   // the last run's evidence, when it was kept

  bool met() const { return outcome == capacity_outcome::met; }
  bool operator==(const capacity_point&) const = default;
};
std::string_view to_string(capacity_outcome o);

struct capacity_estimate {
  capacity_axis by = capacity_axis::rate;
  bool found = false;  // some load met every SLO
  double value = 0;    // the highest load that met every SLO (0 when none did)
  // The capacity lies in [low, high): low = value; high = the lowest load that missed, or, when the
  // search stopped before any missed (its point bound), +inf.
  double low = 0;
  double high = 0;
  double precision = 0;  // the relative bracket width the search aimed for
  std::vector<capacity_point> points;  // in the order they were tried
  std::string note;                    // how the search ended, for people

  double middle() const;  // the bracket's centre, what comparisons use
  // The bracket that points decided outright: the highest load met and the lowest missed without
  // being settled at the repeat bound (0 and +inf when there is none). It holds [low, high).
  double certain_low() const;
  double certain_high() const;
  // "212.5 req/s [212.5, 225.0) after 8 points" or "no load met the SLOs (lowest tried 12.5 req/s)".
  std::string summary() const;
  bool operator==(const capacity_estimate&) const = default;
};

void to_json(nlohmann::json& j, const capacity_point& p);
void from_json(const nlohmann::json& j, capacity_point& p);
void to_json(nlohmann::json& j, const capacity_estimate& c);
void from_json(const nlohmann::json& j, capacity_estimate& c);

}  // namespace loadgate
