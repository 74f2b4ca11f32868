#pragma once
// printf-style formatting of one number into a std::string, for reports and messages.
#include <cstdio>
#include <string>

namespace loadgate::detail {

inline std::string format_number(double value, const char* format) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace loadgate::detail
