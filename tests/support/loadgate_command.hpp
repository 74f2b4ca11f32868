#pragma once
// The built `loadgate` command as a user runs it, for test targets that define LOADGATE_COMMAND
// (its path, from $<TARGET_FILE:loadgate_command>).
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "command_output.hpp"

#ifndef LOADGATE_COMMAND
#error "define LOADGATE_COMMAND as the path of the built loadgate command"
#endif

namespace loadgate::test_support {

enum class with_stderr : bool { no, yes };

// `loadgate ARGUMENTS`; stderr joins the output unless only stdout is wanted (a printed file).
// GITHUB_STEP_SUMMARY is unset so that a CI runner's job summary neither changes the output nor
// collects the tests' runs.
inline command_output run_loadgate(const std::string& arguments, with_stderr errors = with_stderr::yes) {
  return run_command(std::string{"env -u GITHUB_STEP_SUMMARY "} + LOADGATE_COMMAND + " " + arguments +
                     (errors == with_stderr::yes ? " 2>&1" : " 2>/dev/null"));
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
