#pragma once
// What the commands that read stored runs accept: a run folder, its result.json, a log holding a
// printed result, or (compare) a baseline file; each is told apart by what it holds, not by its name.
#include <filesystem>
#include <vector>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/result.hpp"

namespace loadgate::cli {

// The run folder a path names: the folder itself, or the folder of a result.json.
std::filesystem::path run_folder_of(const std::filesystem::path& path);

// A run folder's or result.json's result, or the one a log holds (loadgate run --print-result).
result read_run_result(const std::filesystem::path& path);

// The runs a path holds: a baseline's repetitions, or one result.
std::vector<result> read_runs(const std::filesystem::path& path);

}  // namespace loadgate::cli
