#include "detail/environment.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "loadgate/error.hpp"

namespace loadgate::detail {

std::optional<std::string> env_value(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string{v};
}

bool env_flag(const char* name) {
  const auto value = env_value(name);
  if (!value) return false;
  std::string v = *value;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::array<std::string_view, 4> yes{"1", "true", "yes", "on"};
  constexpr std::array<std::string_view, 4> no{"0", "false", "no", "off"};
  if (std::find(yes.begin(), yes.end(), v) != yes.end()) return true;
  if (std::find(no.begin(), no.end(), v) != no.end()) return false;
  throw configuration_error{std::string{name} + "=" + *value +
                            " is neither yes nor no: use 1, true, yes or on to turn it on, 0, false, no, off or "
                            "an empty value to turn it off"};
}

}  // namespace loadgate::detail
