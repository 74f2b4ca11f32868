#pragma once
// The `loadgate` command's exit codes, documented in the README.
namespace loadgate::cli {

inline constexpr int exit_completed = 0;       // the run completed (failed requests are data, not an error)
inline constexpr int exit_internal_error = 1;  // a bug in loadgate: please report it
inline constexpr int exit_configuration = 2;   // bad flags, scenario file or URL; nothing was sent
inline constexpr int exit_cannot_start = 3;    // the run could not start: target unreachable, file limit, ...

}  // namespace loadgate::cli
