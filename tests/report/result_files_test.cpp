#include "loadgate/result_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "loadgate/error.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct ResultFiles : testing::Test {
  fs::path root = fs::temp_directory_path() /
                  ("loadgate-result-files-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                   testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::remove_all(root); }
  void TearDown() override { fs::remove_all(root); }
};

}  // namespace

TEST_F(ResultFiles, ARunNeverReusesAnEarlierFolder) {
  std::set<fs::path> folders;
  for (int i = 0; i < 5; ++i) folders.insert(loadgate::create_run_folder(root, "smoke"));
  EXPECT_EQ(folders.size(), 5u) << "five runs in the same second get five folders";
  for (const auto& f : folders) {
    EXPECT_TRUE(fs::is_directory(f));
    EXPECT_THAT(f.filename().string(), testing::MatchesRegex("[0-9]{8}-[0-9]{6}-smoke(-[0-9]+)?"));
  }
}

TEST_F(ResultFiles, NamesAreMadeSafeForFileSystems) {
  const auto folder = loadgate::create_run_folder(root, "a/b c");
  EXPECT_THAT(folder.filename().string(), testing::EndsWith("-a_b_c"));
}

TEST_F(ResultFiles, AtomicWriteLeavesNoTemporaryBehind) {
  fs::create_directories(root);
  const auto file = root / "x.json";
  loadgate::write_file_atomically(file, "first");
  loadgate::write_file_atomically(file, "second");
  std::ifstream in{file};
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "second");
  EXPECT_EQ(std::distance(fs::directory_iterator{root}, fs::directory_iterator{}), 1);
}

TEST_F(ResultFiles, ResultRoundTripsThroughTheFile) {
  loadgate::result r;
  r.info.scenario = "smoke";
  r.info.measured_duration = 3s;
  r.requests["a"].record_success(5ms, 4ms);
  r.requests["a"].record_failure(loadgate::failure_kind::timeout);
  const auto file = loadgate::write_result(r, loadgate::create_run_folder(root, "smoke"));
  EXPECT_EQ(loadgate::read_result(file), r);
}

TEST_F(ResultFiles, ReadingSomethingElseSaysSo) {
  fs::create_directories(root);
  std::ofstream{root / "bad.json"} << "{\"hello\": 1}";
  EXPECT_THROW(loadgate::read_result(root / "bad.json"), loadgate::configuration_error);
}
