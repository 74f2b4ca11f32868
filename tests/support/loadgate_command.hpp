#pragma once
// The built `loadgate` command as a user runs it, for test targets that define LOADGATE_COMMAND
// (its path, from $<TARGET_FILE:loadgate_command>).
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "command_output.hpp"

extern char** environ;

#ifndef LOADGATE_COMMAND
#error "define LOADGATE_COMMAND as the path of the built loadgate command"
#endif

namespace loadgate::test_support {

enum class with_stderr : bool { no, yes };

// Whether an environment entry ("NAME=value") steers the command: every LOADGATE_* variable (a
// shard, a profile, a baseline folder, a target) and GITHUB_STEP_SUMMARY (a CI job's summary).
// The tests run the command without them, so that a user's settings cannot change what a test
// sees, nor a test's runs land in a CI job's summary.
inline bool steers_the_command(std::string_view entry) {
  return entry.starts_with("LOADGATE_") || entry.starts_with("GITHUB_STEP_SUMMARY=");
}

// The command line that starts the built command without those variables: "env -u ... loadgate".
inline std::string loadgate_invocation() {
  std::string line = "env";
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry{*e};
    if (steers_the_command(entry)) line += " -u " + std::string{entry.substr(0, entry.find('='))};
  }
  return line + " " + LOADGATE_COMMAND;
}

// `loadgate ARGUMENTS`; stderr joins the output unless only stdout is wanted (a printed file).
inline command_output run_loadgate(const std::string& arguments, with_stderr errors = with_stderr::yes) {
  return run_command(loadgate_invocation() + " " + arguments + (errors == with_stderr::yes ? " 2>&1" : " 2>/dev/null"));
}

// The one run folder `loadgate run` made under `parent` (it makes a timestamped one per run).
inline std::filesystem::path only_run_folder(const std::filesystem::path& parent) {
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator{parent}) folders.push_back(entry.path());
  if (folders.size() != 1)
    throw std::runtime_error{parent.string() + " holds " + std::to_string(folders.size()) + " runs, not one"};
  return folders.front();
}

}  // namespace loadgate::test_support
