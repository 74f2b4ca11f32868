#include "loadgate/scenario_configuration.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "loadgate/scenario_file.hpp"

namespace loadgate {
namespace {

// Every task's "headers" object of a scenario's JSON (the scenario file's shape).
void redact_headers(nlohmann::json& scenario) {
  const auto tasks = scenario.find("tasks");
  if (tasks == scenario.end() || !tasks->is_array()) return;
  for (auto& task : *tasks) {
    const auto headers = task.find("headers");
    if (headers == task.end() || !headers->is_object()) continue;
    for (auto& [name, value] : headers->items())
      if (is_secret_header(name)) value = redacted_value;
  }
}

}  // namespace

bool is_secret_header(std::string_view name) {
  std::string lower{name};
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  // Broad on purpose: redacting a harmless header (X-Idempotency-Key) costs nothing, missing a
  // secret one (Ocp-Apim-Subscription-Key, X-Auth-Token) leaks it into every baseline.
  static constexpr std::array<std::string_view, 9> parts{"auth", "cookie", "token", "secret", "password",
                                                          "key", "credential", "session", "signature"};
  return std::any_of(parts.begin(), parts.end(), [&](std::string_view part) { return lower.find(part) != std::string::npos; });
}

nlohmann::json scenario_configuration(const scenario& s, const nlohmann::json& extra) {
  nlohmann::json configuration = {{"scenario", s}};
  redact_headers(configuration["scenario"]);
  if (!extra.is_null()) configuration["extra"] = extra;
  return configuration;
}

}  // namespace loadgate
