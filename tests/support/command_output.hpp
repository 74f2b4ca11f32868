#pragma once
// Runs a shell command line as a user would type it and keeps what it printed and its exit code.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace loadgate::test_support {

struct command_output {
  int exit_code = -1;  // -1: the command did not exit normally (or could not start)
  std::string output;  // stdout, plus stderr when the command line redirects it (2>&1)
};

inline command_output run_command(const std::string& command_line) {
  command_output o;
  std::FILE* pipe = ::popen(command_line.c_str(), "r");
  if (!pipe) return o;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe)) o.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

}  // namespace loadgate::test_support
