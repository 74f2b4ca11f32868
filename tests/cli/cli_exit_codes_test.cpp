// Bad input is rejected before anything is sent, with one line that says what is wrong.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/exit_codes.hpp"
#include "loadgate_command.hpp"

using testing::HasSubstr;

namespace {

using loadgate::test_support::run_loadgate;

// A loopback port that nothing listens on: bound once to get a free number, then closed.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

using namespace loadgate::cli;  // the exit codes

}  // namespace

TEST(CliExitCodes, InvalidUrl) {
  const auto o = run_loadgate("run ftp://127.0.0.1/x --duration 1s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("ftp://127.0.0.1/x"));
}

TEST(CliExitCodes, NegativeUsers) {
  const auto o = run_loadgate("run http://127.0.0.1:1 --users -5 --duration 1s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("--users must be at least 1"));
}

TEST(CliExitCodes, ZeroDuration) {
  const auto o = run_loadgate("run http://127.0.0.1:1 --duration 0s");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("duration"));
}

TEST(CliExitCodes, BadDurationText) {
  const auto o = run_loadgate("run http://127.0.0.1:1 --duration 10");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("'10' is not a duration"));
}

TEST(CliExitCodes, ABadSloIsRefusedBeforeAnythingIsSent) {
  // A closed port: exit 2 rather than 3 shows that nothing was attempted.
  const auto o = run_loadgate("run http://127.0.0.1:" + std::to_string(closed_port()) + " --duration 1s --slo 'p95<500'");
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("'500' is not a duration"));
}

TEST(CliExitCodes, UnknownFieldInScenarioFile) {
  const auto file = std::filesystem::temp_directory_path() / ("loadgate-cli-test-" + std::to_string(::getpid()) + ".json");
  std::ofstream{file} << R"({"load": {"users": 2}, "durtion_s": 1, "tasks": [{"path": "/"}]})";
  const auto o = run_loadgate("run http://127.0.0.1:1 --scenario " + file.string());
  std::filesystem::remove(file);
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("unknown field 'durtion_s'"));
  EXPECT_THAT(o.output, HasSubstr(file.string()));
}

TEST(CliExitCodes, ConnectionRefusedNamesTheUrlAndWhatToCheck) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port());
  const auto o = run_loadgate("run " + url + " --duration 1s --quiet --out " +
                              (std::filesystem::temp_directory_path() / "loadgate-cli-refused").string());
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
                                  (std::filesystem::temp_directory_path() / "loadgate-cli-v1-merged").string());
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
