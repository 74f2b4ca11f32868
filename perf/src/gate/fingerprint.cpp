#include "loadgate/gate/fingerprint.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace loadgate {

std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string fingerprint(const nlohmann::json& configuration) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a_64(configuration.dump())));
  return std::string{"fnv1a64:"} + hex;
}

}  // namespace loadgate
