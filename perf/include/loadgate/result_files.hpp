#pragma once
// Results and baselines are never lost: every run gets a new folder, and files are written to a
// temporary name and renamed into place, so a crash never leaves half a file behind.
#include <filesystem>
#include <string>
#include <string_view>

#include "loadgate/result.hpp"

namespace loadgate {

// Creates <parent>/<YYYYmmdd-HHMMSS>-<name> (with -2, -3, ... appended when it exists already).
std::filesystem::path create_run_folder(const std::filesystem::path& parent, std::string_view name);

// result.json, indented with small values on one line (detail/json_text.hpp) and stable key order,
// written atomically (temporary file, fsync, rename).
std::filesystem::path write_result(const result& r, const std::filesystem::path& folder);
result read_result(const std::filesystem::path& file);

}  // namespace loadgate
