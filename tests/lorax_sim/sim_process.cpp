#include "sim_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

extern char** environ;

namespace sim_test {

std::string sim_binary() {
  if (const char* env = std::getenv("LORAX_SIM")) return env;
  return LORAX_SIM_BINARY;
}

std::string make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

sim_process::sim_process(std::vector<std::string> flags, std::chrono::milliseconds ready_within) {
  dir_ = make_temp_dir("lorax-sim-test");
  const auto port_file = dir_ + "/port";
  std::vector<std::string> args = {sim_binary(), "--port", "0", "--port-file", port_file, "--quiet"};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);

  const auto deadline = std::chrono::steady_clock::now() + ready_within;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    unsigned port = 0;
    if (in >> port && port != 0) {
      port_ = static_cast<std::uint16_t>(port);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("lorax-sim exited during start-up (bad flags?)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling, bounded by deadline
  }
  stop();
  throw std::runtime_error("lorax-sim did not write its port file in time");
}

int sim_process::stop() {
  if (pid_ <= 0) return 0;
  kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  pid_ = -1;
  return status;
}

sim_process::~sim_process() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string refused_start(const std::string& flags) {
  std::string output;
  FILE* pipe = ::popen((sim_binary() + " " + flags + " 2>&1").c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (!pipe) return output;
  char chunk[256];
  while (std::fgets(chunk, sizeof chunk, pipe)) output += chunk;
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << output;
  return output;
}

}  // namespace sim_test
