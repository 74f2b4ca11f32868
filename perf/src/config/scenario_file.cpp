#include "loadgate/scenario_file.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"
#include "loadgate/error.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/llm/openai.hpp"

namespace loadgate {
namespace {

using nlohmann::json;
using detail::field_or;

std::chrono::nanoseconds seconds_field(const json& j, const char* name, std::chrono::nanoseconds fallback) {
  const double seconds = field_or<double>(j, "scenario", name, std::chrono::duration<double>(fallback).count());
  if (seconds < 0) throw configuration_error(std::string{"scenario: field '"} + name + "' must not be negative");
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

// {"type": "lorax.generate_stream", "weight": 1, "max_new_tokens": 64, "adapters": {...},
//  "prompts": {...}, ...}: everything but type and weight is llm::generation_options.
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
  if (type == "lorax.generate") return lorax::generate(std::move(o));
  if (type == "lorax.generate_stream") return lorax::generate_stream(std::move(o));
  if (type == "openai.completions") return openai::completions(std::move(o));
  if (type == "openai.chat_completions") return openai::chat_completions(std::move(o));
  throw configuration_error(where + ": unknown type '" + type +
                            "' (use http, lorax.generate, lorax.generate_stream, openai.completions, "
                            "openai.chat_completions)");
}

loadgate::task task_from_json(const json& j, std::size_t index, unsigned& weight) {
  const std::string where = "tasks[" + std::to_string(index) + "]";
  detail::require_object(j, where);
  const auto type = field_or<std::string>(j, where, "type", "http");
  if (type != "http") {
    weight = field_or<unsigned>(j, where, "weight", 1);
    return llm_task_from_json(j, where, type);
  }
  detail::reject_unknown_fields(j, where, {"type", "name", "weight", "method", "path", "body", "headers"});
  const auto path = field_or<std::string>(j, where, "path", "/");
  const auto method = field_or<std::string>(j, where, "method", j.contains("body") ? "POST" : "GET");
  const auto name = field_or<std::string>(j, where, "name", method + " " + path);
  weight = field_or<unsigned>(j, where, "weight", 1);
  std::string body;
  if (const auto it = j.find("body"); it != j.end()) body = it->is_string() ? it->get<std::string>() : it->dump();
  auto t = http_task(name, method, path, body);
  if (const auto it = j.find("headers"); it != j.end()) {
    detail::require_object(*it, where + ".headers");
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) throw configuration_error(where + ".headers." + key + ": expected a string");
      headers.emplace_back(key, value.get<std::string>());
    }
    t.request = [base = std::move(t.request), headers](task_context& context) {
      auto request = base(context);
      request.headers.insert(request.headers.end(), headers.begin(), headers.end());
      return request;
    };
  }
  return t;
}

}  // namespace

scenario scenario_from_json(const json& j) {
  detail::require_object(j, "scenario");
  detail::reject_unknown_fields(
      j, "scenario",
      {"name", "users", "spawn_rate", "duration_s", "rate", "arrivals", "max_in_flight", "think_time", "stages",
       "open_stages", "grace_s", "seed", "threads", "connect_timeout_s", "request_timeout_s", "idle_timeout_s",
       "tasks", "llm_slo"});
  scenario s{field_or<std::string>(j, "scenario", "name", "scenario")};
  const auto users = field_or<std::int64_t>(j, "scenario", "users", 1);
  if (users < 0) throw configuration_error("scenario: users must be at least 1, got " + std::to_string(users));
  s.users(static_cast<std::size_t>(users))
      .spawn_rate(field_or<double>(j, "scenario", "spawn_rate", s.spawn_rate()))
      .rate(field_or<double>(j, "scenario", "rate", s.rate()))
      .max_in_flight(field_or<std::size_t>(j, "scenario", "max_in_flight", s.max_in_flight()))
      .seed(field_or<std::uint64_t>(j, "scenario", "seed", s.seed()))
      .threads(field_or<std::size_t>(j, "scenario", "threads", s.threads()))
      .duration(seconds_field(j, "duration_s", s.duration()))
      .grace(seconds_field(j, "grace_s", s.grace()))
      .connect_timeout(seconds_field(j, "connect_timeout_s", s.connect_timeout()))
      .request_timeout(seconds_field(j, "request_timeout_s", s.request_timeout()))
      .idle_timeout(seconds_field(j, "idle_timeout_s", s.idle_timeout()));
  if (const auto it = j.find("arrivals"); it != j.end()) s.arrivals(it->get<arrival_process>());
  if (const auto it = j.find("think_time"); it != j.end()) s.think_time(it->get<think_time>());
  if (const auto it = j.find("llm_slo"); it != j.end()) s.llm_slo(it->get<llm::per_request_slo>());
  if (const auto it = j.find("stages"); it != j.end()) {
    if (!it->is_array()) throw configuration_error("scenario: 'stages' must be an array of stages");
    s.stages(it->get<load_shape>(), field_or<bool>(j, "scenario", "open_stages", false));
  }
  const auto tasks = j.find("tasks");
  if (tasks == j.end() || !tasks->is_array() || tasks->empty()) {
    throw configuration_error("scenario: 'tasks' must be a non-empty array, e.g. [{\"path\": \"/health\"}]");
  }
  for (std::size_t i = 0; i < tasks->size(); ++i) {
    unsigned weight = 1;
    auto t = task_from_json((*tasks)[i], i, weight);
    s.task(weight, std::move(t));
  }
  s.validate();
  return s;
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
