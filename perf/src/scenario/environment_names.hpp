#pragma once
// Environment variable names of a named service: "lorax_r2" → "<BASE>_LORAX_R2". CMake's
// loadgate_add_scenarios writes the same names (cmake/LoadGate.cmake).
#include <cctype>
#include <string>
#include <string_view>

namespace loadgate::detail {

inline std::string service_variable(std::string_view base, std::string_view service) {
  std::string name{base};
  if (service.empty()) return name;
  name += '_';
  for (const char c : service)
    name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_';
  return name;
}

}  // namespace loadgate::detail
