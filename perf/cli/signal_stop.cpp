#include "cli/signal_stop.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>

#include "cli/exit_codes.hpp"

extern char** environ;

namespace loadgate::cli {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// How long the watcher waits for a signal before it looks whether the command is done.
constexpr timespec watch_tick{0, 100'000'000};

}  // namespace

signal_stop::signal_stop(run_stop& stop) {
  const sigset_t set = stop_signals();
  if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0)
    throw std::runtime_error{std::string{"cannot block SIGINT and SIGTERM: "} + std::strerror(error)};
  watcher_ = std::jthread{[this, &stop](std::stop_token until) { watch(until, stop); }};
}

signal_stop::~signal_stop() = default;  // the jthread asks the watcher to stop and joins it

int signal_stop::exit_code() const { return exit_interrupted_base + first_signal_.load(); }

void signal_stop::watch(std::stop_token until, run_stop& stop) {
  const sigset_t set = stop_signals();
  while (!until.stop_requested()) {
    const int number = sigtimedwait(&set, nullptr, &watch_tick);
    if (number <= 0) continue;  // the tick passed (EAGAIN) or another signal woke it (EINTR)
    const std::string name = number == SIGINT ? "SIGINT" : "SIGTERM";
    int expected = 0;
    if (first_signal_.compare_exchange_strong(expected, number)) {
      std::cerr << "\nloadgate: " << name << ": no new requests; those in flight get the grace period to finish, then "
                << "the result is written, marked incomplete (signal again to stop at once)\n";
    } else {
      std::cerr << "\nloadgate: " << name << " again: cancelling the requests in flight\n";
    }
    stop.request(name);
  }
}

int system_with_signals(const std::string& command_line) {
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  const sigset_t stops = stop_signals();
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &stops);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string shell = "/bin/sh", flag = "-c", line = command_line;
  char* argv[] = {shell.data(), flag.data(), line.data(), nullptr};
  pid_t child = 0;
  const int error = posix_spawn(&child, "/bin/sh", nullptr, &attributes, argv, environ);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) throw std::runtime_error{std::string{"cannot start /bin/sh: "} + std::strerror(error)};
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace loadgate::cli
