#include "config/json_fields.hpp"

namespace loadgate::config {

void require_object(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) {
    throw configuration_error(std::string{where} + ": expected a JSON object, found " + j.type_name());
  }
}

void reject_unknown_fields(const nlohmann::json& j, std::string_view where,
                           std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : j.items()) {
    bool is_known = false;
    for (auto k : known) is_known = is_known || k == key;
    if (is_known) continue;
    std::string allowed;
    for (auto k : known) allowed += (allowed.empty() ? "" : ", ") + std::string{k};
    throw configuration_error(std::string{where} + ": unknown field '" + key + "' (known fields: " + allowed + ")");
  }
}

}  // namespace loadgate::config
