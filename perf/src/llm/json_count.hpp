#pragma once
// Token counts in LoRAX `details` and OpenAI `usage` objects: present only when a non-negative integer.
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

namespace loadgate::llm::detail {

inline std::optional<std::uint64_t> count_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it != object.end() && it->is_number_unsigned()) return it->get<std::uint64_t>();
  return std::nullopt;
}

}  // namespace loadgate::llm::detail
