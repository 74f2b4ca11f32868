#pragma once
// Every connection is a file descriptor: raise the soft limit to the hard one before a run, and
// refuse to start when even that is too low (failing mid-run with EMFILE would look like
// connect failures of the service).
#include <cstddef>

namespace loadgate::engine {

// Descriptors kept free for everything that is not a connection (logs, the service under test
// started by the same process, the test framework...).
inline constexpr std::size_t spare_descriptors = 64;

// Raises RLIMIT_NOFILE's soft limit to its hard limit.
void raise_file_limit();

// raise_file_limit(), then throws start_error, naming the numbers and `ulimit -n`, when fewer than
// connections + spare_descriptors are available.
void ensure_file_limit(std::size_t connections);

}  // namespace loadgate::engine
