// Bad input is rejected before anything is sent, with one line that says what is wrong. The
// rejected runs point at a live server that counts connections, so that sending would be seen.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/exit_codes.hpp"
#include "loadgate_command.hpp"
#include "support/test_server.hpp"
#include "temp_path.hpp"

using testing::HasSubstr;

namespace {

using loadgate::test_support::run_loadgate;
using namespace loadgate::cli;  // the exit codes

// `loadgate run URL ARGS` against a live server: the command must refuse, and never connect.
struct RejectedBeforeSending : testing::Test {
  loadgate::testing::test_server server;
  loadgate::test_support::command_output run(const std::string& args) {
    return run_loadgate("run " + server.url() + " " + args + " --quiet --out " +
                        (std::filesystem::temp_directory_path() / ("loadgate-cli-rejected-" + std::to_string(::getpid()))).string());
  }
  void TearDown() override {
    EXPECT_EQ(server.connections(), 0u) << "nothing may be sent for a run that is refused";
    EXPECT_EQ(server.requests(), 0u);
  }
};

}  // namespace

TEST(CliExitCodes, InvalidUrl) {
  const auto o = run_loadgate("run ftp://127.0.0.1/x --duration 1s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("ftp://127.0.0.1/x"));
}

TEST_F(RejectedBeforeSending, NegativeUsers) {
  const auto o = run("--users -5 --duration 1s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("--users must be at least 1"));
}

TEST_F(RejectedBeforeSending, ZeroDuration) {
  const auto o = run("--duration 0s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("duration"));
}

TEST_F(RejectedBeforeSending, BadDurationText) {
  const auto o = run("--duration 10");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("'10' is not a duration"));
}

TEST_F(RejectedBeforeSending, ABadSlo) {
  const auto o = run("--duration 1s --slo 'p95<500'");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("'500' is not a duration"));
}

TEST_F(RejectedBeforeSending, UnknownFieldInScenarioFile) {
  const auto file = std::filesystem::temp_directory_path() / ("loadgate-cli-test-" + std::to_string(::getpid()) + ".json");
  std::ofstream{file} << R"({"load": {"users": 2}, "durtion_s": 1, "tasks": [{"path": "/"}]})";
  const auto o = run("--scenario " + file.string());
  std::filesystem::remove(file);
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("unknown field 'durtion_s'"));
  EXPECT_THAT(o.output, HasSubstr(file.string()));
}

TEST(CliExitCodes, ConnectionRefusedNamesTheUrlAndWhatToCheck) {
  const std::string url = "http://127.0.0.1:" + std::to_string(loadgate::testing::unused_port());
  const auto o = run_loadgate("run " + url + " --duration 1s --quiet --out " +
                              loadgate::test_support::temp_path("cli-refused").string());
  EXPECT_EQ(o.exit_code, exit_cannot_start) << o.output;
  EXPECT_THAT(o.output, HasSubstr(url));
  EXPECT_THAT(o.output, HasSubstr("refused"));
  EXPECT_THAT(o.output, HasSubstr("is the service running"));
}

// A result.json from before schema_version 2 cannot be converted: report and merge say what to do.
TEST(CliExitCodes, AVersion1ResultSaysToRunTheScenarioAgain) {
  const auto folder = std::filesystem::temp_directory_path() / ("loadgate-cli-v1-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  const auto file = folder / "result.json";
  std::ofstream{file} << R"({"schema": "loadgate.result", "schema_version": 1, "run": {}, "requests": {}, "series": {}})";
  const auto report = run_loadgate("report " + file.string());
  const auto merge = run_loadgate("merge " + file.string() + " " + file.string() + " --out " +
                                  loadgate::test_support::temp_path("cli-v1-merged").string());
  std::filesystem::remove_all(folder);
  for (const auto* o : {&report, &merge}) {
    EXPECT_EQ(o->exit_code, exit_configuration) << o->output;
    EXPECT_THAT(o->output, HasSubstr("version-1 result"));
    EXPECT_THAT(o->output, HasSubstr("run the scenario again"));
  }
}

TEST(CliExitCodes, HelpIsASuccess) {
  const auto o = run_loadgate("run --help");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_THAT(o.output, HasSubstr("--users"));
}

TEST_F(RejectedBeforeSending, SourceAddressThatIsNoAddress) {
  const auto o = run("--source-address 127.0.0.2,localhost --duration 1s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("--source-address 'localhost' is not an IP address"));
}

TEST_F(RejectedBeforeSending, SourceAddressOfAnotherMachine) {
  const auto o = run("--source-address 192.0.2.1 --duration 1s");
  EXPECT_EQ(o.exit_code, exit_cannot_start) << o.output;
  EXPECT_THAT(o.output, HasSubstr("it must be an address of this machine"));
}

// The contrast: good source addresses, as a comma-separated list, are all used.
TEST(CliSourceAddress, ACommaSeparatedListIsUsedInTurn) {
  loadgate::testing::test_server server;
  const auto out = loadgate::test_support::temp_path("cli-source-address");
  const auto o = run_loadgate("run " + server.url() + " --users 4 --duration 300ms --quiet --source-address 127.0.0.7,127.0.0.8 --out " +
                              out.string());
  std::filesystem::remove_all(out);
  EXPECT_EQ(o.exit_code, exit_completed) << o.output;
  const auto peers = server.peer_addresses();
  EXPECT_EQ(std::count(peers.begin(), peers.end(), "127.0.0.7"), 3) << "the probe and two users";
  EXPECT_EQ(std::count(peers.begin(), peers.end(), "127.0.0.8"), 2);
}
