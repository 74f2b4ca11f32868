#pragma once
// A temporary path of this test in this process: ctest -j runs test processes side by side, and
// two users of one machine share /tmp, so a fixed name lets one test truncate another's file.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace loadgate::test_support {

// <tmp>/loadgate-<what>-<pid>-<test name><extension>; nothing is created.
inline std::filesystem::path temp_path(const std::string& what, const std::string& extension = "") {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::filesystem::temp_directory_path() / ("loadgate-" + what + "-" + std::to_string(::getpid()) + "-" +
                                                   (test ? test->name() : "outside-a-test") + extension);
}

}  // namespace loadgate::test_support
