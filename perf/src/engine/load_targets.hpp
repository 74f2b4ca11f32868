#pragma once
// How much load the scenario asks for at a moment of the run: users (closed) or arrivals per
// second (open), from the stages when there are any.
#include <chrono>
#include <cmath>
#include <optional>

#include "loadgate/scenario.hpp"

namespace loadgate::engine {

// Users that should be running `elapsed` after the start; nullopt once the stages are over.
// Without stages, user u starts at u / spawn_rate (user 0 at once), or all at once when it is 0.
inline std::optional<std::size_t> target_users(const scenario& s, std::chrono::nanoseconds elapsed) {
  if (!s.stages().empty()) {
    const auto users = target_at(s.stages(), elapsed);
    if (!users) return std::nullopt;
    return static_cast<std::size_t>(std::llround(*users));
  }
  if (s.spawn_rate() <= 0) return s.users();
  const double started = std::floor(std::chrono::duration<double>(elapsed).count() * s.spawn_rate()) + 1;
  return started >= static_cast<double>(s.users()) ? s.users() : static_cast<std::size_t>(started);
}

// Arrivals per second `elapsed` after the start; nullopt once the stages are over.
inline std::optional<double> target_rate(const scenario& s, std::chrono::nanoseconds elapsed) {
  if (s.stages().empty()) return s.rate();
  return target_at(s.stages(), elapsed);
}

// Every think is at least close_idle_after, so users hold a connection only during their tasks:
// how many connections are open at once then depends on the service's speed, not on the users.
inline bool connections_only_during_tasks(const scenario& s) {
  const auto after = s.close_idle_after();
  const auto& t = s.think_time();
  const bool has_minimum = t.type() == think_time::kind::constant || t.type() == think_time::kind::between;
  return after && has_minimum && t.low() >= *after;
}

// The most users or connections the scenario can ever need at once.
inline std::size_t peak_demand(const scenario& s) {
  if (s.open_model()) return s.max_in_flight();
  if (s.stages().empty()) return s.users();
  double peak = 0;
  for (const auto& st : s.stages()) peak = std::max(peak, st.target);
  return static_cast<std::size_t>(std::llround(peak));
}

}  // namespace loadgate::engine
