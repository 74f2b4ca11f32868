#pragma once
// Makes a file write fail halfway, as a full disk or a quota does, without timing: `write` runs in
// a forked child whose files may not grow past `limit` bytes (RLIMIT_FSIZE; SIGXFSZ ignored, so
// write() returns EFBIG). The tests then look at what the failed write left behind.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>

namespace loadgate::test_support {

enum class write_outcome { threw, returned, crashed };

inline write_outcome write_with_file_size_limit(const std::function<void()>& write, rlim_t limit = 4096) {
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error{"fork failed"};
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit small{limit, limit};
    if (::setrlimit(RLIMIT_FSIZE, &small) != 0) ::_exit(3);
    try {
      write();
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) return write_outcome::crashed;
  return WEXITSTATUS(status) == 1 ? write_outcome::threw : write_outcome::returned;
}

}  // namespace loadgate::test_support
