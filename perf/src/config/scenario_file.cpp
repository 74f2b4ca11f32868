#include "loadgate/scenario_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"
#include "loadgate/error.hpp"
#include "loadgate/scenario_configuration.hpp"
#include "loadgate/llm/generate.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/llm/openai.hpp"

namespace loadgate {
namespace {

using nlohmann::json;
using detail::field_or;

double seconds_of(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

std::chrono::nanoseconds seconds_field(const json& j, std::string_view where, const char* name,
                                       std::chrono::nanoseconds fallback) {
  const double seconds = field_or<double>(j, where, name, seconds_of(fallback));
  if (!(seconds >= 0)) throw configuration_error(std::string{where} + ": field '" + name + "' must not be negative");
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

// {"type": "lorax.generate_stream", "max_new_tokens": 64, "adapters": {...}, "prompts": {...}, ...}:
// everything but type and weight is llm::generation_options.
loadgate::task llm_task_from_json(const json& j, const std::string& where, const std::string& type) {
  json options = j;
  options.erase("type");
  options.erase("weight");
  llm::generation_options o;
  try {
    o = options.get<llm::generation_options>();
  } catch (const configuration_error& e) {
    throw configuration_error(where + ": " + e.what());
  }
  // The type says whether it streams; a "stream" that says otherwise is a mistake, not a switch.
  if (const auto it = j.find("stream"); it != j.end() && it->is_boolean() && type.starts_with("llm.") &&
                                         it->get<bool>() != (type == "llm.generate_stream"))
    throw configuration_error(where + ": " + type + " says \"stream\": " + (it->get<bool>() ? "true" : "false") +
                              ", which its type decides: use " +
                              (it->get<bool>() ? "llm.generate_stream" : "llm.generate") + " (or drop \"stream\")");
  if (type == "llm.generate") return llm::generate(std::move(o));
  if (type == "llm.generate_stream") return llm::generate_stream(std::move(o));
  if (type == "lorax.generate") return lorax::generate(std::move(o));
  if (type == "lorax.generate_stream") return lorax::generate_stream(std::move(o));
  if (type == "openai.completions") return openai::completions(std::move(o));
  if (type == "openai.chat_completions") return openai::chat_completions(std::move(o));
  throw configuration_error(where + ": unknown type '" + type +
                            "' (use http, llm.generate, llm.generate_stream, lorax.generate, lorax.generate_stream, "
                            "openai.completions, openai.chat_completions)");
}

loadgate::task http_task_from_json(const json& j, const std::string& where) {
  detail::reject_unknown_fields(j, where, {"type", "name", "weight", "method", "path", "body", "headers"});
  const auto path = field_or<std::string>(j, where, "path", "/");
  const auto method = field_or<std::string>(j, where, "method", j.contains("body") ? "POST" : "GET");
  const auto name = field_or<std::string>(j, where, "name", method + " " + path);
  std::string body;
  if (const auto it = j.find("body"); it != j.end()) body = it->is_string() ? it->get<std::string>() : it->dump();
  std::vector<std::pair<std::string, std::string>> headers;
  if (const auto it = j.find("headers"); it != j.end()) {
    detail::require_object(*it, where + ".headers");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) throw configuration_error(where + ".headers." + key + ": expected a string");
      // A scenario printed from a recorded configuration (baseline show --scenario) has its secrets
      // redacted; sending the marker would fail every request with a puzzling 401.
      if (value.get<std::string>() == redacted_value)
        throw configuration_error(where + ".headers." + key + " is \"" + redacted_value +
                                  "\": recorded configurations never keep secrets; put the real value back in the file");
      headers.emplace_back(key, value.get<std::string>());
    }
  }
  return http_task(name, method, path, body, std::move(headers));
}

weighted_task task_from_json(const json& j, std::size_t index) {
  const std::string where = "tasks[" + std::to_string(index) + "]";
  detail::require_object(j, where);
  if (j.contains("code"))
    throw configuration_error(where + ": task '" + field_or<std::string>(j, where, "name", "?") +
                              "' was written in code (C++), so a scenario file cannot rebuild it; replace it with an "
                              "http, llm.*, lorax.* or openai.* task");
  const auto type = field_or<std::string>(j, where, "type", "http");
  const auto weight = field_or<unsigned>(j, where, "weight", 1);
  return {weight, type == "http" ? http_task_from_json(j, where) : llm_task_from_json(j, where, type)};
}

// What a task is in a file: its spec (the request shapes describe themselves as one) and weight.
json task_to_json(const weighted_task& t) {
  auto spec = json::parse(t.task.description, nullptr, /*allow_exceptions=*/false);
  if (!spec.is_object() || !spec.contains("type")) {
    // Hand-written: known by its name and what it says of itself, and marked so that reading fails clearly.
    spec = {{"name", t.task.name}, {"code", true}};
    if (!t.task.description.empty()) spec["description"] = t.task.description;
  }
  spec["weight"] = t.weight;
  return spec;
}

json load_to_json(const scenario& s) {
  // Only what the chosen model uses; with stages, their targets replace users or rate.
  if (const auto* open = std::get_if<open_load>(&s.load())) {
    json j = {{"model", "open"}, {"arrivals", open->arrivals}, {"max_in_flight", open->max_in_flight}};
    if (s.stages().empty()) j["rate"] = open->rate;
    return j;
  }
  const auto& closed = std::get<closed_load>(s.load());
  json j = {{"model", "closed"}, {"think_time", closed.think_time}};
  // Only when set: a key every result gained would change every baseline's fingerprint.
  if (closed.close_idle_after) j["close_idle_after_s"] = seconds_of(*closed.close_idle_after);
  if (s.stages().empty()) {
    j["users"] = closed.users;
    j["spawn_rate"] = closed.spawn_rate;
  }
  return j;
}

load_model_spec load_from_json(const json& j) {
  constexpr std::string_view where = "scenario.load";
  detail::require_object(j, where);
  const auto model = field_or<std::string>(j, where, "model", "closed");
  if (model == "closed") {
    detail::reject_unknown_fields(j, where, {"model", "users", "spawn_rate", "think_time", "close_idle_after_s"});
    closed_load c;
    const auto users = field_or<std::int64_t>(j, where, "users", static_cast<std::int64_t>(c.users));
    if (users < 1) throw configuration_error("scenario.load: users must be at least 1, got " + std::to_string(users));
    c.users = static_cast<std::size_t>(users);
    c.spawn_rate = field_or<double>(j, where, "spawn_rate", c.spawn_rate);
    if (const auto it = j.find("think_time"); it != j.end()) c.think_time = it->get<think_time>();
    if (j.contains("close_idle_after_s")) c.close_idle_after = seconds_field(j, where, "close_idle_after_s", {});
    return c;
  }
  if (model == "open") {
    detail::reject_unknown_fields(j, where, {"model", "rate", "arrivals", "max_in_flight"});
    open_load o;
    o.rate = field_or<double>(j, where, "rate", o.rate);
    o.max_in_flight = field_or<std::size_t>(j, where, "max_in_flight", o.max_in_flight);
    if (const auto it = j.find("arrivals"); it != j.end()) o.arrivals = it->get<arrival_process>();
    return o;
  }
  throw configuration_error("scenario.load: model must be \"closed\" or \"open\", got \"" + model + "\"");
}

// Keys of the earlier, flat format, with where they live now: a file written for it gets one line
// that says how to move the key instead of "unknown field".
void reject_flat_keys(const json& j) {
  static const std::vector<std::pair<std::string, std::string>> moved{
      {"users", "\"load\": {\"model\": \"closed\", \"users\": N}"},
      {"spawn_rate", "\"load\": {\"model\": \"closed\", \"spawn_rate\": R}"},
      {"think_time", "\"load\": {\"model\": \"closed\", \"think_time\": {...}}"},
      {"rate", "\"load\": {\"model\": \"open\", \"rate\": R}"},
      {"arrivals", "\"load\": {\"model\": \"open\", \"arrivals\": {...}}"},
      {"max_in_flight", "\"load\": {\"model\": \"open\", \"max_in_flight\": N}"},
      {"open_stages", "\"load\": {\"model\": \"open\"} (stages then count arrivals per second)"},
      {"connect_timeout_s", "\"timeouts_s\": {\"connect\": S}"},
      {"request_timeout_s", "\"timeouts_s\": {\"request\": S}"},
      {"idle_timeout_s", "\"timeouts_s\": {\"idle\": S}"}};
  for (const auto& [key, now] : moved)
    if (j.contains(key)) throw configuration_error("scenario: '" + key + "' is now written " + now);
}

}  // namespace

void to_json(json& j, const scenario& s) {
  j = {{"name", s.name()},
       {"load", load_to_json(s)},
       {"grace_s", seconds_of(s.grace())},
       {"seed", s.seed()},
       {"timeouts_s",
        {{"connect", seconds_of(s.connect_timeout())},
         {"request", seconds_of(s.request_timeout())},
         {"idle", seconds_of(s.idle_timeout())}}},
       {"llm_slo", s.llm_slo()}};
  if (s.stages().empty()) j["duration_s"] = seconds_of(s.duration());
  else j["stages"] = s.stages();
  if (s.threads() != 0) j["threads"] = s.threads();
  auto& tasks = j["tasks"] = json::array();
  for (const auto& t : s.tasks()) tasks.push_back(task_to_json(t));
}

void from_json(const json& j, scenario& out) {
  constexpr std::string_view where = "scenario";
  detail::require_object(j, where);
  reject_flat_keys(j);
  detail::reject_unknown_fields(
      j, where, {"name", "load", "duration_s", "stages", "grace_s", "seed", "threads", "timeouts_s", "llm_slo", "tasks"});
  scenario s{field_or<std::string>(j, where, "name", "scenario")};
  if (const auto it = j.find("load"); it != j.end()) s.load(load_from_json(*it));
  s.seed(field_or<std::uint64_t>(j, where, "seed", s.seed()))
      .threads(field_or<std::size_t>(j, where, "threads", s.threads()))
      .duration(seconds_field(j, where, "duration_s", s.duration()))
      .grace(seconds_field(j, where, "grace_s", s.grace()));
  if (const auto it = j.find("timeouts_s"); it != j.end()) {
    constexpr std::string_view timeouts = "scenario.timeouts_s";
    detail::reject_unknown_fields(*it, timeouts, {"connect", "request", "idle"});
    s.connect_timeout(seconds_field(*it, timeouts, "connect", s.connect_timeout()))
        .request_timeout(seconds_field(*it, timeouts, "request", s.request_timeout()))
        .idle_timeout(seconds_field(*it, timeouts, "idle", s.idle_timeout()));
  }
  if (const auto it = j.find("llm_slo"); it != j.end()) s.llm_slo(it->get<llm::per_request_slo>());
  if (const auto it = j.find("stages"); it != j.end()) {
    if (!it->is_array()) throw configuration_error("scenario: 'stages' must be an array of stages");
    if (j.contains("duration_s")) throw configuration_error("scenario: give 'duration_s' or 'stages', not both (stages set the length)");
    s.stages(it->get<load_shape>());
  }
  const auto tasks = j.find("tasks");
  if (tasks == j.end() || !tasks->is_array() || tasks->empty())
    throw configuration_error("scenario: 'tasks' must be a non-empty array, e.g. [{\"path\": \"/health\"}]");
  for (std::size_t i = 0; i < tasks->size(); ++i) {
    auto t = task_from_json((*tasks)[i], i);
    s.task(t.weight, std::move(t.task));
  }
  out = std::move(s);
}

scenario scenario_from_json(const json& j) {
  auto s = j.get<scenario>();
  s.validate();
  return s;
}

namespace {

// The spec types of the tasks (http for a plain request, "" for a hand-written task).
std::vector<std::string> task_types(const scenario& s) {
  const json j = s;
  std::vector<std::string> types;
  for (const auto& task : j.at("tasks")) types.push_back(task.value("type", task.contains("code") ? "" : "http"));
  return types;
}

// A dialect decides the route of a neutral task (llm.*) and the body of an OpenAI-route one.
bool takes_dialect(std::string_view type) { return type.starts_with("llm.") || type.starts_with("openai."); }

}  // namespace

bool has_dialect_tasks(const scenario& s) {
  const auto types = task_types(s);
  return std::any_of(types.begin(), types.end(), takes_dialect);
}

bool has_llm_tasks(const scenario& s) {
  const auto types = task_types(s);
  return std::any_of(types.begin(), types.end(), [](const std::string& type) {
    return takes_dialect(type) || type.starts_with("lorax.");
  });
}

scenario with_dialect(const scenario& s, llm::dialect d) {
  std::vector<weighted_task> tasks;
  std::size_t taking = 0;
  for (std::size_t i = 0; i < s.tasks().size(); ++i) {
    const auto& t = s.tasks()[i];
    json spec = task_to_json(t);
    if (!takes_dialect(spec.value("type", ""))) {
      tasks.push_back(t);  // as it is: a plain request, LoRAX's own routes, or one written in code
      continue;
    }
    spec["dialect"] = llm::to_string(d);
    tasks.push_back(task_from_json(spec, i));
    ++taking;
  }
  if (taking == 0)
    throw configuration_error("a dialect applies to dialect-neutral tasks (llm.generate, llm.generate_stream) and "
                              "OpenAI-route tasks (openai.completions, openai.chat_completions), and scenario '" +
                              s.name() + "' has none: LoRAX's own routes speak LoRAX whatever the server. Write its "
                              "tasks as llm.generate or llm.generate_stream, or drop --dialect (LOADGATE_DIALECT)");
  auto out = s;
  out.replace_tasks(std::move(tasks));
  return out;
}

scenario load_scenario_file(const std::filesystem::path& file) {
  std::ifstream in{file};
  if (!in) throw configuration_error(file.string() + ": cannot open the scenario file (check the path)");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw configuration_error(file.string() + ": not valid JSON: " + e.what());
  }
  try {
    return scenario_from_json(j);
  } catch (const configuration_error& e) {
    throw configuration_error(file.string() + ": " + e.what());
  }
}

}  // namespace loadgate
