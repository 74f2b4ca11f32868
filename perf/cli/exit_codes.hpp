#pragma once
// The `loadgate` command's exit codes, documented in the README. `loadgate gate` uses 0, 1, 4, 5
// and 6 for its verdicts, so that any CI can branch on them without parsing text.
namespace loadgate::cli {

inline constexpr int exit_completed = 0;       // the run completed (failed requests are data, not an error); gate: passed
inline constexpr int exit_regression = 1;      // gate: a metric regressed; run: an --slo failed
inline constexpr int exit_configuration = 2;   // bad flags, scenario file, URL or input file; nothing was sent
inline constexpr int exit_cannot_start = 3;    // the run could not start: target unreachable, file limit, ...
inline constexpr int exit_inconclusive = 4;    // gate: too close to call with these runs; run again and pass them all
inline constexpr int exit_stale = 5;           // gate: the baseline was recorded for another configuration
inline constexpr int exit_missing = 6;         // gate: there is no baseline file
inline constexpr int exit_internal_error = 70; // a bug in loadgate: please report it (EX_SOFTWARE)
// run, matrix, capacity: stopped by SIGINT or SIGTERM; what was measured is written, marked
// incomplete. The code is 128 + the signal's number (130, 143), as shells report a signal.
inline constexpr int exit_interrupted_base = 128;

}  // namespace loadgate::cli
