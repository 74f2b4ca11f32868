#pragma once
// While alive, SIGINT and SIGTERM stop this command's runs through a run_stop instead of killing
// the process: the first winds the run down (requests in flight get the grace period), a second
// cancels what is in flight at once. Either way the run's result and reports are written, marked
// incomplete, and the command exits 128 + the signal's number (130, 143), as shells expect.
#include <atomic>
#include <string>
#include <thread>

#include "loadgate/run_stop.hpp"

namespace loadgate::cli {

class signal_stop {
 public:
  // Before the command starts any thread: threads inherit the calling thread's blocked signals,
  // and only the watcher may take SIGINT and SIGTERM. They stay blocked after destruction: a
  // signal then stays pending, unseen, while the command writes what it has and exits.
  explicit signal_stop(run_stop& stop);
  ~signal_stop();
  signal_stop(const signal_stop&) = delete;
  signal_stop& operator=(const signal_stop&) = delete;

  // The exit code for a command whose run was interrupted: 128 + the first signal's number.
  int exit_code() const;

 private:
  void watch(std::stop_token until, run_stop& stop);

  std::atomic<int> first_signal_{0};
  std::jthread watcher_;
};

// std::system for a shell command run while a signal_stop is alive: the child gets SIGINT and
// SIGTERM back (unblocked, default action), so a Ctrl-C also stops what it runs (a matrix's scale
// command). Returns the wait status, as std::system does.
int system_with_signals(const std::string& command_line);

}  // namespace loadgate::cli
