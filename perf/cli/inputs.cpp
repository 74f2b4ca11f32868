#include "cli/inputs.hpp"

#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "cli/sharding.hpp"
#include "loadgate/error.hpp"
#include "loadgate/result_files.hpp"

namespace loadgate::cli {
namespace fs = std::filesystem;

fs::path run_folder_of(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return path;
  if (path.filename() != "result.json")
    throw configuration_error{path.string() + ": expected a run folder or its result.json"};
  return path.has_parent_path() ? path.parent_path() : fs::path{"."};
}

result read_run_result(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return read_result(path / "result.json");
  if (path.filename() != "result.json") {
    // A log a shard printed its result into (loadgate run --print-result, then kubectl logs).
    std::ifstream in{path, std::ios::binary};
    if (!in) throw configuration_error{path.string() + ": cannot open the file"};
    const std::string text{std::istreambuf_iterator<char>{in}, {}};
    if (auto printed = result_in_log(text, path.string())) return std::move(*printed);
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || text[first] != '{')
      throw configuration_error{path.string() + ": neither a result.json nor a log holding one (loadgate run --print-result)"};
  }
  return read_result(path);
}

std::vector<result> read_runs(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return {read_result(path / "result.json")};
  std::ifstream in{path};
  if (!in) throw configuration_error{path.string() + ": cannot open the file"};
  // A baseline names its schema; a result does not.
  const bool is_baseline = [&] {
    try {
      const auto j = nlohmann::json::parse(in);
      return j.is_object() && j.contains("schema") && j["schema"] == "loadgate.baseline";
    } catch (const nlohmann::json::exception&) {
      return false;
    }
  }();
  if (is_baseline) return read_baseline(path).runs;
  return {read_result(path)};
}

}  // namespace loadgate::cli
