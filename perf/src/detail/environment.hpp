#pragma once
// Reading the environment, one rule for every variable.
#include <optional>
#include <string>

namespace loadgate::detail {

// The variable's value, or nullopt when it is unset or empty.
std::optional<std::string> env_value(const char* name);

// A yes/no variable: 1, true, yes, on mean yes; 0, false, no, off, empty or unset mean no (any
// letter case). Anything else is a configuration_error that names the variable, so that a typo
// such as CI=maybe never silently picks a side.
bool env_flag(const char* name);

}  // namespace loadgate::detail
