#include "engine/file_limit.hpp"

#include <sys/resource.h>

#include <optional>
#include <string>

#include "loadgate/error.hpp"

namespace loadgate::engine {

namespace {

// The limit after raising the soft one to the hard one; nullopt when it cannot be read.
std::optional<rlimit> raised_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit;
}

}  // namespace

void raise_file_limit() { (void)raised_limit(); }

void ensure_file_limit(std::size_t connections) {
  const std::size_t needed = connections + spare_descriptors;
  const auto raised = raised_limit();
  if (!raised) return;  // unknown: let the run try
  const rlimit limit = *raised;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed) return;
  throw start_error("the open-file limit is " + std::to_string(limit.rlim_cur) + " (hard limit " +
                    (limit.rlim_max == RLIM_INFINITY ? std::string("unlimited") : std::to_string(limit.rlim_max)) +
                    ") but this scenario needs " + std::to_string(needed) + " descriptors (" +
                    std::to_string(connections) + " connections + " + std::to_string(spare_descriptors) +
                    " spare); raise it with `ulimit -n " + std::to_string(needed) +
                    "` (as root, or via /etc/security/limits.conf) or lower the users / max_in_flight");
}

}  // namespace loadgate::engine
