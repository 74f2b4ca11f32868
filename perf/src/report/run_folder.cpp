#include "loadgate/run_folder.hpp"

#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "detail/atomic_file.hpp"
#include "detail/environment.hpp"
#include "detail/json_text.hpp"
#include "loadgate/error.hpp"
#include "loadgate/gate/gate_json.hpp"
#include "loadgate/html_report.hpp"
#include "loadgate/locust_files.hpp"
#include "loadgate/markdown_summary.hpp"
#include "loadgate/result_files.hpp"

namespace loadgate {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view gate_schema = "loadgate.gate";
constexpr int gate_version = 1;

std::optional<baseline_action> action_from_string(std::string_view name) {
  for (const auto a : {baseline_action::compare, baseline_action::create, baseline_action::update,
                       baseline_action::fail_missing, baseline_action::fail_stale})
    if (to_string(a) == name) return a;
  return std::nullopt;
}

nlohmann::json gate_json(const run_evidence& e) {
  nlohmann::json gate = nullptr;
  if (e.gate) {
    const auto& g = *e.gate;
    gate = {{"action", to_string(g.action)},
            {"baseline_file", g.baseline_file.string()},
            {"baseline_fingerprint", g.baseline_fingerprint},
            {"baseline_created", g.baseline_created},
            {"run", g.run},
            {"passed", g.passed()},
            {"decision", g.decision ? nlohmann::json(*g.decision) : nlohmann::json(nullptr)},
            {"message", g.message}};
  }
  return {{"schema", gate_schema}, {"version", gate_version}, {"passed", e.passed()}, {"gate", gate}, {"slos", e.slos}};
}

void read_gate(const fs::path& file, run_evidence& e) {
  std::ifstream in{file};
  if (!in) throw configuration_error{file.string() + ": cannot open the file"};
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.at("schema") != gate_schema || j.at("version") != gate_version)
      throw configuration_error{"not a " + std::string{gate_schema} + " v" + std::to_string(gate_version) + " file"};
    j.at("slos").get_to(e.slos);
    if (const auto& g = j.at("gate"); !g.is_null()) {
      gate_record r;
      const auto action = action_from_string(g.at("action").get<std::string>());
      if (!action) throw configuration_error{"unknown gate action " + g.at("action").dump()};
      r.action = *action;
      r.baseline_file = g.at("baseline_file").get<std::string>();
      g.at("baseline_fingerprint").get_to(r.baseline_fingerprint);
      g.at("baseline_created").get_to(r.baseline_created);
      g.at("run").get_to(r.run);
      if (!g.at("decision").is_null()) r.decision = g.at("decision").get<gate_decision>();
      g.at("message").get_to(r.message);
      e.gate = std::move(r);
    }
  } catch (const nlohmann::json::exception& x) {
    throw configuration_error{file.string() + ": malformed gate file: " + x.what()};
  } catch (const configuration_error& x) {
    throw configuration_error{file.string() + ": " + x.what()};
  }
}

// The baseline a run was compared with, if it is still the same one.
std::optional<baseline> reread_baseline(const gate_record& g) {
  std::error_code ec;
  if (g.baseline_fingerprint.empty() || !fs::exists(g.baseline_file, ec)) return std::nullopt;
  try {
    auto b = read_baseline(g.baseline_file);
    if (b.created != g.baseline_created || b.fingerprint != g.baseline_fingerprint) return std::nullopt;
    return b;
  } catch (const configuration_error&) {
    return std::nullopt;
  }
}

}  // namespace

void append_step_summary(const std::string& markdown) {
  const auto file = detail::env_value("GITHUB_STEP_SUMMARY");
  if (!file || file->empty()) return;
  std::ofstream out{*file, std::ios::app};
  out << markdown << '\n';
}

fs::path write_gate_file(const run_evidence& e, const fs::path& folder) {
  const auto file = folder / "gate.json";
  detail::write_file_atomically(file, detail::readable_json(gate_json(e)));
  return file;
}

std::vector<fs::path> write_run_folder(const run_evidence& e, const fs::path& folder, const run_folder_options& options) {
  std::vector<fs::path> written{write_result(e.current, folder)};
  if (e.gate || !e.slos.empty()) written.push_back(write_gate_file(e, folder));
  for (auto& f : write_locust_files(e.current, folder, options.prefix)) written.push_back(std::move(f));
  const auto markdown = markdown_summary(e);
  detail::write_file_atomically(folder / "summary.md", markdown);
  written.push_back(folder / "summary.md");
  detail::write_file_atomically(folder / "report.html", html_report(e));
  written.push_back(folder / "report.html");
  if (options.step_summary) append_step_summary(markdown);
  return written;
}

run_evidence read_run_folder(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw configuration_error{folder.string() + ": not a run folder (give the folder that holds result.json)"};
  run_evidence e{read_result(folder / "result.json"), std::nullopt, std::nullopt, {}};
  if (fs::exists(folder / "gate.json", ec)) read_gate(folder / "gate.json", e);
  if (e.gate) e.against = reread_baseline(*e.gate);
  return e;
}

fs::path create_numbered_folder(const fs::path& parent) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw configuration_error{"cannot create " + parent.string() + ": " + ec.message()};
  for (int n = 1; n < 100000; ++n) {
    const auto folder = parent / std::to_string(n);
    if (fs::create_directory(folder, ec)) return folder;  // atomic: false when it exists
    if (ec) throw configuration_error{"cannot create " + folder.string() + ": " + ec.message()};
  }
  throw configuration_error{"too many runs in " + parent.string()};
}

}  // namespace loadgate
