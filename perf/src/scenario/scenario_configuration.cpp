#include "loadgate/scenario_configuration.hpp"

#include <chrono>

namespace loadgate {
namespace {

using nlohmann::json;

double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

json tasks_of(const scenario& s) {
  json tasks = json::array();
  for (const auto& t : s.tasks()) {
    json entry = {{"name", t.task.name}, {"weight", t.weight}};
    if (!t.task.description.empty()) {
      // JSON text is kept as JSON, so that a baseline shows it readably; other text as it is.
      auto request = json::parse(t.task.description, nullptr, /*allow_exceptions=*/false);
      entry["request"] = request.is_discarded() ? json(t.task.description) : std::move(request);
    }
    tasks.push_back(std::move(entry));
  }
  return tasks;
}

// Only what the chosen model uses: a closed scenario's unused rate must not make it "change".
json load_model_of(const scenario& s) {
  if (s.open_model()) {
    json j = {{"model", "open"}, {"arrivals", s.arrivals()}, {"max_in_flight", s.max_in_flight()}};
    if (s.stages().empty()) j["rate"] = s.rate();
    return j;
  }
  json j = {{"model", "closed"}, {"think_time", s.think_time()}};
  if (s.stages().empty()) {
    j["users"] = s.users();
    j["spawn_rate"] = s.spawn_rate();
  }
  return j;
}

}  // namespace

json scenario_configuration(const scenario& s, const json& extra) {
  json knobs = load_model_of(s);
  knobs["name"] = s.name();
  knobs["duration_s"] = seconds(s.duration());
  if (!s.stages().empty()) knobs["stages"] = s.stages();
  knobs["grace_s"] = seconds(s.grace());
  knobs["tasks"] = tasks_of(s);
  knobs["seed"] = s.seed();
  if (s.threads() != 0) knobs["threads"] = s.threads();
  knobs["timeouts_s"] = {{"connect", seconds(s.connect_timeout())},
                         {"request", seconds(s.request_timeout())},
                         {"idle", seconds(s.idle_timeout())}};
  json configuration = {{"scenario", std::move(knobs)}};
  if (!extra.is_null()) configuration["extra"] = extra;
  return configuration;
}

}  // namespace loadgate
