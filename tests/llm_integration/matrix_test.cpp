// `loadgate matrix` against 1, 2 and 4 lorax-sim replicas behind HAProxy (fixtures/service/
// lorax-service.sh), scaled by the matrix's --scale-cmd: throughput rises with replicas, scaling
// efficiency is printed, a failing scale command fails its cells while the others run, and a
// rerun keeps the finished cells.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "loadgate_command.hpp"
#include "sim_process.hpp"

namespace {

namespace fs = std::filesystem;
using loadgate::test_support::file_text;
using nlohmann::json;

const std::string service_script = LOADGATE_SOURCE_DIR "/fixtures/service/lorax-service.sh";

// The HAProxy service for one test: started with one replica, stopped at the end.
class replica_service {
 public:
  explicit replica_service(const fs::path& state) : state_{state} {
    // A small batch, so that one replica saturates and more replicas carry more.
    const auto started = loadgate::test_support::run_command(
        "bash " + service_script + " start --state-dir " + state.string() + " --replicas 1 --sim " +
        sim_test::sim_binary() + " -- --time-scale 0.1 --max-batch-size 8 --max-concurrent-requests 64 2>&1");
    if (started.exit_code != 0) throw std::runtime_error{"the replica service did not start: " + started.output};
    std::ifstream in{state / "url"};
    std::getline(in, url_);
  }
  ~replica_service() { loadgate::test_support::run_command("bash " + service_script + " stop --state-dir " + state_.string()); }
  const std::string& url() const { return url_; }
  std::string scale_command() const {
    return "bash " + service_script + " scale {replicas} --state-dir " + state_.string();
  }

 private:
  fs::path state_;
  std::string url_;
};

// matrix.csv as rows of column → value.
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& file) {
  std::ifstream in{file};
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  const auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (char c : l) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) out.push_back(cell), cell.clear();
      else cell += c;
    }
    out.push_back(cell);
    return out;
  };
  while (std::getline(in, line)) {
    if (header.empty()) {
      header = split(line);
      continue;
    }
    const auto cells = split(line);
    auto& row = rows.emplace_back();
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
  }
  return rows;
}

double throughput_of(const std::vector<std::map<std::string, std::string>>& rows, const std::string& replicas) {
  for (const auto& r : rows)
    if (r.at("replicas") == replicas && r.at("status") == "ran") return std::stod(r.at("throughput_rps"));
  return -1;
}

// A folder removed when it goes out of scope: declared before the service, it outlives it, so the
// service's stop still finds its pid files (removing the folder first leaked HAProxy and every
// replica, which then woke the CPU through every later test).
struct scratch_folder {
  fs::path path;
  explicit scratch_folder(fs::path p) : path{std::move(p)} {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~scratch_folder() { fs::remove_all(path); }
};

TEST(MatrixAgainstReplicas, ThroughputRisesWithReplicasAndRerunsResume) {
  const scratch_folder scratch{fs::temp_directory_path() / ("loadgate-matrix-" + std::to_string(::getpid()))};
  const auto& dir = scratch.path;
  replica_service service{dir / "service"};
  std::ofstream{dir / "scenario.json"} << json{
      {"name", "replicas_users"},
      {"load", {{"model", "closed"}, {"users", 32}}},
      {"duration_s", 3},
      {"grace_s", 2},
      {"tasks", {{{"type", "lorax.generate"}, {"name", "generate"}, {"max_new_tokens", 16}}}}}.dump();
  const auto matrix = [&](const std::string& scale_command, const std::string& extra = "") {
    return loadgate::test_support::run_loadgate(
        "matrix " + service.url() + " --scenario " + (dir / "scenario.json").string() +
        " --axis users=32 --axis replicas=1,2,4 --scale-cmd '" + scale_command + "' --slo 'p95<1s' --quiet --out " +
        (dir / "matrix").string() + " " + extra);
  };

  // A scale command that fails for 2 replicas: its cell fails, the others still run.
  const auto first = matrix("test {replicas} != 2 && " + service.scale_command());
  EXPECT_EQ(first.exit_code, 1) << first.output;
  EXPECT_NE(first.output.find("[replicas=2 users=32] cell 2/3: FAILED: the scale command for replicas=2 exited 1"),
            std::string::npos)
      << first.output;
  auto rows = read_csv(dir / "matrix" / "matrix.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].at("status"), "failed");
  EXPECT_GT(throughput_of(rows, "4"), throughput_of(rows, "1")) << file_text(dir / "matrix" / "matrix.md");

  // The rerun keeps replicas 1 and 4 and runs the failed cell.
  const auto second = matrix(service.scale_command());
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("[replicas=1 users=32] cell 1/3: finished earlier, kept"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("[replicas=4 users=32] cell 3/3: finished earlier, kept"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("[replicas=2 users=32] cell 2/3: running"), std::string::npos) << second.output;
  rows = read_csv(dir / "matrix" / "matrix.csv");
  const double r1 = throughput_of(rows, "1"), r2 = throughput_of(rows, "2"), r4 = throughput_of(rows, "4");
  const auto md = file_text(dir / "matrix" / "matrix.md");
  EXPECT_LT(r1, r2) << md;
  EXPECT_LT(r2, r4) << md;
  // Scaling efficiency, RPS(N) / (N × RPS(1)): 1 for replicas 1 by definition, printed for all.
  EXPECT_EQ(rows[0].at("scaling_efficiency"), "1.0000");
  EXPECT_NEAR(std::stod(rows[2].at("scaling_efficiency")), r4 / (4 * r1), 1e-3);
  EXPECT_NE(md.find("scaling efficiency"), std::string::npos) << md;
  EXPECT_NE(md.find("Best cell that met every SLO: replicas=4 users=32"), std::string::npos) << md;
  const auto html = file_text(dir / "matrix" / "matrix.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  for (const char* legend : {">replicas=1</text>", ">replicas=2</text>", ">replicas=4</text>"})
    EXPECT_NE(html.find(legend), std::string::npos) << "one line per replica count: " << legend;

  // --rerun runs every cell again, keeping the earlier runs beside the new ones.
  const auto third = matrix(service.scale_command(), "--rerun");
  EXPECT_EQ(third.exit_code, 0) << third.output;
  EXPECT_TRUE(fs::exists(dir / "matrix" / "cells" / "replicas=1,users=32" / "1" / "result.json"));
  EXPECT_TRUE(fs::exists(dir / "matrix" / "cells" / "replicas=1,users=32" / "2" / "result.json"));
}

// Any scenario field is an axis by its path in the scenario file; a path the scenario does not
// have is refused before anything is sent.
TEST(MatrixAxes, AFieldByItsPathIsAnAxisAndAWrongPathIsRefused) {
  const auto dir = fs::temp_directory_path() / ("loadgate-matrix-axes-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  sim_test::sim_process sim{{"--time-scale", "0.1"}};
  std::ofstream{dir / "scenario.json"} << json{
      {"name", "tokens"},
      {"load", {{"model", "closed"}, {"users", 4}}},
      {"duration_s", 1},
      {"grace_s", 1},
      {"tasks", {{{"type", "lorax.generate"}, {"name", "generate"}, {"max_new_tokens", 16}}}}}.dump();
  const auto matrix = [&](const std::string& axes) {
    return loadgate::test_support::run_loadgate("matrix http://127.0.0.1:" + std::to_string(sim.port()) + " --scenario " +
                                                (dir / "scenario.json").string() + " " + axes + " --quiet --out " +
                                                (dir / "matrix").string());
  };
  const auto wrong = matrix("--axis tasks.3.max_new_tokens=8,32");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_NE(wrong.output.find("--axis tasks.3.max_new_tokens: the scenario has no field /tasks/3"), std::string::npos)
      << wrong.output;
  EXPECT_FALSE(fs::exists(dir / "matrix" / "matrix.csv")) << "nothing ran";
  const auto bad_value = matrix("--axis users=4,0");
  EXPECT_EQ(bad_value.exit_code, 2) << bad_value.output;
  EXPECT_NE(bad_value.output.find("cell users=0"), std::string::npos) << bad_value.output;

  const auto ran = matrix("--axis tasks.0.max_new_tokens=8,32");
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  const auto rows = read_csv(dir / "matrix" / "matrix.csv");
  ASSERT_EQ(rows.size(), 2u);
  // 32 tokens take four times the steps of 8: the cells really ran with their own value.
  EXPECT_GT(std::stod(rows[1].at("p50_ms")), 2.5 * std::stod(rows[0].at("p50_ms"))) << file_text(dir / "matrix" / "matrix.md");
  fs::remove_all(dir);
}

}  // namespace
