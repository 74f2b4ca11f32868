#include "loadgate/result_files.hpp"

#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "detail/atomic_file.hpp"
#include "detail/json_text.hpp"
#include "loadgate/error.hpp"
#include "loadgate/run_summary.hpp"

namespace loadgate {
namespace fs = std::filesystem;
namespace {

std::string timestamp_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%d-%H%M%S", &local);
  return buffer;
}

// A folder name keeps only characters that are safe in every shell and file system.
std::string safe_name(std::string_view name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out.empty() ? "run" : out;
}

}  // namespace

fs::path create_run_folder(const fs::path& parent, std::string_view name) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw configuration_error("cannot create the output folder " + parent.string() + ": " + ec.message());
  const std::string stem = timestamp_now() + "-" + safe_name(name);
  for (int attempt = 1; attempt < 1000; ++attempt) {
    const fs::path folder = parent / (attempt == 1 ? stem : stem + "-" + std::to_string(attempt));
    // create_directory is atomic: it returns false when the folder exists, so two runs started in
    // the same second never share (or overwrite) a folder.
    if (fs::create_directory(folder, ec)) return folder;
    if (ec) throw configuration_error("cannot create " + folder.string() + ": " + ec.message());
  }
  throw configuration_error("too many runs named " + stem + " in " + parent.string());
}

fs::path write_result(const result& r, const fs::path& folder) {
  const fs::path file = folder / "result.json";
  auto j = nlohmann::json(r);
  j["summary"] = run_summary(r);  // derived: read_result ignores it
  detail::write_file_atomically(file, detail::readable_json(j));
  return file;
}

result read_result(const fs::path& file) {
  std::ifstream in{file};
  if (!in) throw configuration_error(file.string() + ": cannot open the result file");
  try {
    return nlohmann::json::parse(in).get<result>();
  } catch (const nlohmann::json::exception& e) {
    throw configuration_error(file.string() + ": not a loadgate result: " + e.what());
  } catch (const configuration_error& e) {
    throw configuration_error(file.string() + ": " + e.what());
  }
}

}  // namespace loadgate
