#pragma once
// Where a scenario sends its load, from the environment:
//   1. LOADGATE_TARGET (or LOADGATE_TARGET_<SERVICE> for a named service): the user's explicit URL;
//   2. else the URL that the CTest service fixture wrote, at LOADGATE_SERVICE_URL_FILE (or
//      LOADGATE_SERVICE_URL_FILE_<SERVICE>), set by loadgate_add_scenarios(... SERVICE ...).
// The target must answer a TCP connect; otherwise unreachable_target says where the URL came from
// and what to do. Skipping instead is the user's choice (LOADGATE_SKIP_UNREACHABLE=1), never the
// default: CTest counts a skipped test as passed.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "loadgate/error.hpp"
#include "loadgate/target.hpp"

namespace loadgate {

// Nothing accepts connections at the target.
class unreachable_target : public start_error {
 public:
  using start_error::start_error;
};

struct located_target {
  loadgate::target target;
  std::string origin;  // "LOADGATE_TARGET", "the service fixture's file build/.../url", for messages
};

// Reads the environment; throws configuration_error when no variable names a target or the URL
// is malformed, start_error when the fixture's URL file is missing (its start test failed).
// `service` selects a named service ("lorax_r2" → LOADGATE_TARGET_LORAX_R2 and
// LOADGATE_SERVICE_URL_FILE_LORAX_R2); empty is the scenario's default service.
located_target locate_target(std::string_view service = {});

// Why nothing answers at `t` ("connection refused"), or nullopt when a TCP connect succeeds
// within `timeout`.
std::optional<std::string> unreachable_reason(const target& t,
                                              std::chrono::milliseconds timeout = std::chrono::milliseconds{2000});

// locate_target, then a connect: throws unreachable_target with a message that says what to do.
target target_from_env(std::string_view service = {});

// LOADGATE_SKIP_UNREACHABLE is on (1, true, yes, on; 0, false, no, off or unset are off; anything
// else is a configuration_error naming the variable).
bool skip_unreachable_requested();

}  // namespace loadgate
