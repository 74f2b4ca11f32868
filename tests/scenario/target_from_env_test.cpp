// Where a scenario's target comes from, and what an unreachable one says.
#include "loadgate/target_from_env.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace loadgate {
namespace {

using ::testing::HasSubstr;

// Clears the variables the tests set and removes their files, whatever the outcome.
class TargetFromEnv : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* v : {"LOADGATE_TARGET", "LOADGATE_SERVICE_URL_FILE", "LOADGATE_TARGET_LORAX_R2",
                          "LOADGATE_SERVICE_URL_FILE_LORAX_R2", "LOADGATE_SKIP_UNREACHABLE"})
      ::unsetenv(v);
    for (const auto& file : files_) std::filesystem::remove(file);
  }
  // One file per test and process: ctest -j runs these tests side by side, and a file shared by
  // name was truncated by one test while another read it.
  std::string url_file(const std::string& text) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const auto file = std::filesystem::path{::testing::TempDir()} /
                      ("loadgate_target_url." + std::string{test->name()} + "." + std::to_string(::getpid()));
    std::ofstream{file} << text;
    files_.push_back(file);
    return file.string();
  }
  std::vector<std::filesystem::path> files_;
};

TEST_F(TargetFromEnv, LoadgateTargetWinsOverTheFixturesFile) {
  ::setenv("LOADGATE_TARGET", "http://127.0.0.1:8123", 1);
  ::setenv("LOADGATE_SERVICE_URL_FILE", url_file("http://127.0.0.1:9999\n").c_str(), 1);
  const auto located = locate_target();
  EXPECT_EQ(located.target.port, 8123);
  EXPECT_EQ(located.origin, "LOADGATE_TARGET");
}

TEST_F(TargetFromEnv, ReadsTheFixturesUrlFile) {
  ::setenv("LOADGATE_SERVICE_URL_FILE", url_file("http://127.0.0.1:9999\n").c_str(), 1);
  const auto located = locate_target();
  EXPECT_EQ(located.target.port, 9999);
  EXPECT_THAT(located.origin, HasSubstr("service fixture"));
}

TEST_F(TargetFromEnv, ANamedServiceHasItsOwnVariables) {
  ::setenv("LOADGATE_SERVICE_URL_FILE", url_file("http://127.0.0.1:9999").c_str(), 1);
  ::setenv("LOADGATE_TARGET_LORAX_R2", "http://127.0.0.1:7000", 1);
  EXPECT_EQ(locate_target("lorax_r2").target.port, 7000);
  EXPECT_EQ(locate_target().target.port, 9999);
}

TEST_F(TargetFromEnv, NoTargetSaysWhichVariablesToSet) {
  try {
    (void)locate_target();
    FAIL() << "expected configuration_error";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_TARGET"));
    EXPECT_THAT(e.what(), HasSubstr("ctest"));
  }
}

TEST_F(TargetFromEnv, AMissingUrlFileBlamesTheFixture) {
  ::setenv("LOADGATE_SERVICE_URL_FILE", "/nonexistent/loadgate/url", 1);
  EXPECT_THROW((void)locate_target(), start_error);
}

TEST_F(TargetFromEnv, UnreachableTargetFailsWithWhereTheUrlCameFrom) {
  ::setenv("LOADGATE_TARGET", "http://127.0.0.1:1", 1);
  try {
    (void)target_from_env();
    FAIL() << "expected unreachable_target";
  } catch (const unreachable_target& e) {
    EXPECT_THAT(e.what(), HasSubstr("nothing answers at http://127.0.0.1:1 (from LOADGATE_TARGET)"));
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_SKIP_UNREACHABLE=1"));
  }
}

TEST_F(TargetFromEnv, AListeningTargetIsReachable) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor{io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  const target t = target::parse("http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()));
  EXPECT_EQ(unreachable_reason(t), std::nullopt);
}

TEST_F(TargetFromEnv, SkipIsOnlyWhenAskedFor) {
  EXPECT_FALSE(skip_unreachable_requested());
  ::setenv("LOADGATE_SKIP_UNREACHABLE", "0", 1);
  EXPECT_FALSE(skip_unreachable_requested());
  ::setenv("LOADGATE_SKIP_UNREACHABLE", "1", 1);
  EXPECT_TRUE(skip_unreachable_requested());
  for (const char* yes : {"true", "TRUE", "yes", "Yes", "on"}) {
    ::setenv("LOADGATE_SKIP_UNREACHABLE", yes, 1);
    EXPECT_TRUE(skip_unreachable_requested()) << yes;
  }
  for (const char* no : {"", "false", "False", "no", "off", "OFF"}) {
    ::setenv("LOADGATE_SKIP_UNREACHABLE", no, 1);
    EXPECT_FALSE(skip_unreachable_requested()) << no;
  }
}

// A value that is neither yes nor no never silently picks a side: the message names the variable
// and the values it takes.
TEST_F(TargetFromEnv, ASkipFlagThatIsNeitherYesNorNoIsAConfigurationError) {
  ::setenv("LOADGATE_SKIP_UNREACHABLE", "maybe", 1);
  try {
    (void)skip_unreachable_requested();
    FAIL() << "expected configuration_error";
  } catch (const configuration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("LOADGATE_SKIP_UNREACHABLE=maybe"));
    EXPECT_THAT(e.what(), HasSubstr("1, true, yes or on"));
    EXPECT_THAT(e.what(), HasSubstr("0, false, no, off"));
  }
}

}  // namespace
}  // namespace loadgate
