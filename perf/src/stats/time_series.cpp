#include "loadgate/time_series.hpp"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"

namespace loadgate {

void time_window::merge(const time_window& other) {
  active_users += other.active_users;  // shards and threads run disjoint users
  for (const auto& [key, t] : other.tallies) tallies[key].merge(t);
  for (const auto& [name, value] : other.server) {
    const auto [it, added] = server.try_emplace(name, value);
    if (!added) it->second = std::max(it->second, value);
  }
}

time_window& time_series::window(std::size_t index) {
  if (index >= windows_.size()) windows_.resize(index + 1);
  return windows_[index];
}

void time_series::merge(const time_series& other) {
  if (other.windows_.size() > windows_.size()) windows_.resize(other.windows_.size());
  for (std::size_t i = 0; i < other.windows_.size(); ++i) windows_[i].merge(other.windows_[i]);
}

void to_json(nlohmann::json& j, const time_window& w) {
  j = nlohmann::json{{"active_users", w.active_users}, {"tallies", tallies_to_json(w.tallies)}};
  if (!w.server.empty()) j["server"] = w.server;  // only scraped runs: the others keep their shape
}

void from_json(const nlohmann::json& j, time_window& out) {
  using namespace detail;
  constexpr std::string_view where = "time window";
  time_window w;
  w.active_users = read_unsigned(j, where, "active_users");
  w.tallies = tallies_from_json(field(j, where, "tallies"), "time window 'tallies'");
  if (const auto it = j.find("server"); it != j.end()) {
    if (!it->is_object()) malformed(where, "field 'server' must be an object of numbers, got " + json_type(*it));
    for (const auto& [name, value] : it->items()) {
      if (!value.is_number()) malformed(where, "server metric '" + name + "' must be a number, got " + json_type(value));
      w.server[name] = value.get<double>();
    }
  }
  out = std::move(w);
}

namespace {
constexpr auto window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(time_series::window_length).count();
}

void to_json(nlohmann::json& j, const time_series& s) {
  j = nlohmann::json{{"window_ms", window_ms}, {"windows", s.windows()}};
}

void from_json(const nlohmann::json& j, time_series& out) {
  using namespace detail;
  constexpr std::string_view where = "time series";
  if (const auto ms = read_unsigned(j, where, "window_ms"); ms != static_cast<std::uint64_t>(window_ms))
    malformed(where, "'window_ms' is " + std::to_string(ms) + "; this loadgate uses " + std::to_string(window_ms));
  const auto& windows = field(j, where, "windows");
  if (!windows.is_array()) malformed(where, "field 'windows' must be an array");
  time_series s;
  for (std::size_t i = 0; i < windows.size(); ++i) s.window(i) = windows[i].get<time_window>();
  out = std::move(s);
}

}  // namespace loadgate
