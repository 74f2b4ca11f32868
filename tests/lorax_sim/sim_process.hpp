// Starts a lorax-sim binary on a free port for one test and stops it afterwards.
// Readiness is the port file appearing (written after listen), polled with a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sim_test {

class sim_process {
 public:
  // Extra flags go after the defaults, so they win. Throws std::runtime_error if it does not
  // come up within `ready_within`.
  explicit sim_process(std::vector<std::string> flags = {},
                       std::chrono::milliseconds ready_within = std::chrono::seconds(10));
  ~sim_process();
  sim_process(const sim_process&) = delete;
  sim_process& operator=(const sim_process&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  // SIGTERM, then SIGKILL after a grace period; returns the exit status as waitpid gives it.
  int stop();

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string dir_;
};

// Path of the lorax-sim binary under test (baked in by CMake, overridable by $LORAX_SIM).
std::string sim_binary();
// Runs lorax-sim with `flags`, which it must refuse (exit 2, else the test fails): what it printed.
std::string refused_start(const std::string& flags);
// A fresh temporary directory.
std::string make_temp_dir(const std::string& prefix);

}  // namespace sim_test
