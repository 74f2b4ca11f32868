#pragma once
// A file's whole content, as the tests read the files the command writes ("" when it is missing).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace loadgate::test_support {

inline std::string file_text(const std::filesystem::path& file) {
  std::ifstream in{file, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

}  // namespace loadgate::test_support
