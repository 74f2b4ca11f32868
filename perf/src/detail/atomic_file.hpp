#pragma once
// Results and baselines are never lost half-written: shared by the report and gate boxes, so it
// lives in the private layer that every box may use.
#include <filesystem>
#include <string_view>

namespace loadgate::detail {

// Writes `content` to a temporary file beside `file`, flushes and fsyncs it, and renames it over
// `file`: a crash leaves the old file or the new one, never half of either.
void write_file_atomically(const std::filesystem::path& file, std::string_view content);

}  // namespace loadgate::detail
