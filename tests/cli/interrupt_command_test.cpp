// Ctrl-C and SIGTERM as a user and a CI runner send them: `loadgate run`, `matrix` and `capacity`
// keep what they measured, marked incomplete, exit 128 + the signal, and the gate refuses the
// result. Signals are sent once the command has reached a state the test can see (requests at
// the server, a line on stderr), never after a fixed sleep.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "file_text.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate_command.hpp"
#include "support/test_server.hpp"

namespace {

namespace fs = std::filesystem;
using loadgate::test_support::file_text;
using namespace std::chrono_literals;
using loadgate::test_support::only_run_folder;
using loadgate::test_support::run_loadgate;
using testing::HasSubstr;

// Polls `condition` every 10 ms; false when `limit` passed first.
bool eventually(const std::function<bool()>& condition, std::chrono::steady_clock::duration limit = 20s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// `loadgate ARGS` as a child process the test can signal, with stdout and stderr in files.
class signalled_command {
 public:
  signalled_command(const std::vector<std::string>& args, const fs::path& dir) : out_{dir / "stdout"}, err_{dir / "stderr"} {
    std::vector<std::string> argv_text{LOADGATE_COMMAND};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> env;  // as run_loadgate's
    for (char** e = environ; *e != nullptr; ++e)
      if (!loadgate::test_support::steers_the_command(*e)) env.push_back(*e);
    env.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&files, STDERR_FILENO, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // Whatever the test runner did with these signals, the command gets them as a shell would.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, stops;
    sigemptyset(&none);
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &stops);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const int error = posix_spawn(&pid_, argv[0], &files, &attributes, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) throw std::runtime_error{"cannot start " + argv_text[0]};
  }
  ~signalled_command() {
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void send(int signal) const { ::kill(pid_, signal); }
  std::string out() const { return file_text(out_); }
  std::string err() const { return file_text(err_); }
  bool says(const std::string& text) const { return err().find(text) != std::string::npos; }

  // The exit code, or -1 if the command was still running after `limit` (it is then killed).
  int wait(std::chrono::steady_clock::duration limit = 20s) {
    int status = 0;
    const bool ended = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
    if (!ended) return -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *exit_code_;
  }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

struct Interrupted : testing::Test {
  fs::path dir = fs::temp_directory_path() / ("loadgate-interrupt-" + std::to_string(::getpid()) + "-" +
                                              testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  fs::path scenario_file(const nlohmann::json& scenario) const {
    const auto file = dir / "scenario.json";
    std::ofstream{file} << scenario.dump();
    return file;
  }
};

TEST_F(Interrupted, SigintLetsRequestsFinishWritesTheRunMarkedIncompleteAndExits130) {
  loadgate::testing::test_server server{{.delay = 20ms}};
  const auto started = std::chrono::steady_clock::now();
  signalled_command run{{"run", server.url(), "--users", "4", "--duration", "60s", "--grace", "5s", "--quiet", "--out",
                         (dir / "out").string()},
                        dir};
  ASSERT_TRUE(eventually([&] { return server.requests() >= 20; })) << run.err();
  run.send(SIGINT);
  ASSERT_EQ(run.wait(), 130) << run.err();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << "the 60 s plan ended at the signal";

  const auto folder = only_run_folder(dir / "out");
  const auto r = loadgate::read_result(folder / "result.json");
  ASSERT_TRUE(r.info.interrupted);
  EXPECT_EQ(r.info.interrupted->reason, "SIGINT");
  EXPECT_FALSE(r.info.interrupted->cancelled);
  EXPECT_LT(r.info.interrupted->reached, 60s);
  EXPECT_EQ(r.total().count(), server.requests()) << "every request sent is in the result, once";
  EXPECT_EQ(r.total().failures(), 0u) << "the requests in flight finished within the grace";
  EXPECT_THAT(file_text(folder / "summary.md"), HasSubstr("INCOMPLETE: interrupted by SIGINT"));
  EXPECT_THAT(file_text(folder / "report.html"), HasSubstr("INCOMPLETE: interrupted by SIGINT"));
  EXPECT_THAT(run.out(), HasSubstr("INCOMPLETE: interrupted by SIGINT"));
  EXPECT_THAT(run.err(), HasSubstr("signal again to stop at once"));

  // The gate and baseline recording refuse it, each with one line; a complete run is recorded.
  const auto refused = run_loadgate("baseline record " + (dir / "b.json").string() + " " + folder.string());
  EXPECT_EQ(refused.exit_code, loadgate::cli::exit_configuration);
  EXPECT_THAT(refused.output, HasSubstr("the run was interrupted by SIGINT"));
  EXPECT_FALSE(fs::exists(dir / "b.json"));
  const auto whole = run_loadgate("run " + server.url() + " --users 1 --duration 300ms --quiet --out " + (dir / "whole").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  const auto recorded = run_loadgate("baseline record " + (dir / "b.json").string() + " " + only_run_folder(dir / "whole").string());
  ASSERT_EQ(recorded.exit_code, 0) << recorded.output;
  const auto gated = run_loadgate("gate --baseline " + (dir / "b.json").string() + " " + folder.string());
  EXPECT_EQ(gated.exit_code, loadgate::cli::exit_configuration);
  EXPECT_THAT(gated.output, HasSubstr("not gated nor recorded as a baseline"));
  EXPECT_EQ(std::count(gated.output.begin(), gated.output.end(), '\n'), 1) << gated.output;
}

TEST_F(Interrupted, ASecondSigtermCancelsWhatIsInFlightAndExits143) {
  loadgate::testing::test_server server{{.hang_from = 1}};  // never answers
  signalled_command run{{"run", server.url(), "--users", "2", "--duration", "60s", "--grace", "60s", "--quiet", "--out",
                         (dir / "out").string()},
                        dir};
  ASSERT_TRUE(eventually([&] { return server.requests() == 2; })) << run.err();
  run.send(SIGTERM);
  ASSERT_TRUE(eventually([&] { return run.says("SIGTERM: no new requests"); })) << run.err();
  run.send(SIGTERM);
  ASSERT_EQ(run.wait(10s), 143) << "not the 60 s grace: " << run.err();

  const auto r = loadgate::read_result(only_run_folder(dir / "out") / "result.json");
  ASSERT_TRUE(r.info.interrupted);
  EXPECT_EQ(r.info.interrupted->reason, "SIGTERM");
  EXPECT_TRUE(r.info.interrupted->cancelled);
  EXPECT_EQ(r.total().failures(loadgate::failure_kind::cancelled), 2u);
  EXPECT_EQ(r.total().count(), server.requests());
  EXPECT_THAT(run.err(), HasSubstr("SIGTERM again: cancelling the requests in flight"));
}

TEST_F(Interrupted, AnInterruptedMatrixResumesKeepingItsFinishedCells) {
  loadgate::testing::test_server server{{.delay = 5ms}};
  const auto scenario = scenario_file({{"name", "grid"}, {"grace_s", 2}, {"tasks", {{{"path", "/"}}}}});
  const std::vector<std::string> matrix{"matrix",  server.url(), "--scenario", scenario.string(), "--axis",
                                        "duration=0.3,60", "--quiet", "--out", (dir / "grid").string()};
  const auto interrupt_second_cell = [&](const fs::path& log_dir) {
    fs::create_directories(log_dir);
    signalled_command m{matrix, log_dir};
    EXPECT_TRUE(eventually([&] { return m.says("cell 2/2: running"); })) << m.err();
    const auto before = server.requests();
    EXPECT_TRUE(eventually([&] { return server.requests() > before; }));  // the second cell is sending
    m.send(SIGINT);
    EXPECT_EQ(m.wait(), 130) << m.err();
    EXPECT_THAT(m.out(), HasSubstr("matrix interrupted at cell 2/2: run the same command again to resume"));
    return m.err();
  };

  const auto first = interrupt_second_cell(dir / "first");
  EXPECT_THAT(first, HasSubstr("[duration=0.3] cell 1/2: running"));
  const auto second_cell = dir / "grid" / "cells" / "duration=60";
  EXPECT_EQ(nlohmann::json::parse(file_text(second_cell / "cell.json")).at("status"), "failed");
  EXPECT_TRUE(fs::exists(second_cell / "1" / "result.json")) << "the interrupted cell's evidence is kept";

  const auto resumed = interrupt_second_cell(dir / "second");
  EXPECT_THAT(resumed, HasSubstr("[duration=0.3] cell 1/2: finished earlier, kept"));
  EXPECT_THAT(resumed, HasSubstr("[duration=60] cell 2/2: running"));
  EXPECT_TRUE(fs::exists(second_cell / "2" / "result.json")) << "run again, beside the first attempt";
  EXPECT_TRUE(loadgate::read_result(second_cell / "2" / "result.json").info.interrupted);
}

TEST_F(Interrupted, AnInterruptedCapacitySearchResumesWithoutRunningItsPointsAgain) {
  loadgate::testing::test_server server;
  // Every load meets p95 < 1 s: two doubling points, the second interrupted, then resumed.
  const auto scenario = scenario_file({{"name", "cap"}, {"duration_s", 2}, {"grace_s", 2},
                                       {"load", {{"model", "open"}, {"rate", 20}}}, {"tasks", {{{"path", "/"}}}}});
  const std::vector<std::string> search{"capacity", server.url(), "--scenario", scenario.string(), "--slo", "p95<1s",
                                        "--max-points",  "2", "--quiet", "--out", (dir / "out").string()};
  fs::create_directories(dir / "first");
  signalled_command first{search, dir / "first"};
  ASSERT_TRUE(eventually([&] { return first.says("capacity point 2:"); })) << first.err();
  const auto before = server.requests();
  ASSERT_TRUE(eventually([&] { return server.requests() > before; }));
  first.send(SIGINT);
  ASSERT_EQ(first.wait(), 130) << first.err();
  const auto folder = only_run_folder(dir / "out");
  EXPECT_THAT(first.out(), HasSubstr("--resume " + folder.string()));
  const auto sent_before_resume = server.requests();

  auto resumed_args = search;
  resumed_args.insert(resumed_args.end(), {"--resume", folder.string()});
  fs::create_directories(dir / "second");
  signalled_command second{resumed_args, dir / "second"};
  ASSERT_EQ(second.wait(30s), 0) << second.err();
  EXPECT_THAT(second.err(), HasSubstr("kept from " + folder.string()));
  EXPECT_THAT(second.out(), HasSubstr("at least 40"));
  // Point 2 (40/s for 2 s) ran again, point 1 (20/s) did not: about 80 requests, not 120.
  const auto sent_by_resume = server.requests() - sent_before_resume;
  EXPECT_GE(sent_by_resume, 70u);
  EXPECT_LE(sent_by_resume, 90u);
}

}  // namespace
