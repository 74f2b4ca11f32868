#include "loadgate/result_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "detail/atomic_file.hpp"
#include "failing_write.hpp"
#include "loadgate/error.hpp"
#include "temp_path.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct ResultFiles : testing::Test {
  fs::path root = loadgate::test_support::temp_path("result-files");
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
  loadgate::detail::write_file_atomically(file, "first");
  loadgate::detail::write_file_atomically(file, "second");
  std::ifstream in{file};
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "second");
  EXPECT_EQ(std::distance(fs::directory_iterator{root}, fs::directory_iterator{}), 1);
}

TEST_F(ResultFiles, AWriteThatFailsHalfwayLeavesTheEarlierFileWhole) {
  fs::create_directories(root);
  const auto file = root / "x.json";
  loadgate::detail::write_file_atomically(file, "the earlier run");
  const std::string big(1 << 20, 'x');  // far past the child's 4 KiB limit
  EXPECT_EQ(loadgate::test_support::write_with_file_size_limit(
                [&] { loadgate::detail::write_file_atomically(file, big); }),
            loadgate::test_support::write_outcome::threw)
      << "the failure is reported, not swallowed";
  std::ifstream in{file};
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>{in}, {}), "the earlier run") << "a plain write would have truncated it";
  EXPECT_EQ(std::distance(fs::directory_iterator{root}, fs::directory_iterator{}), 1) << "nor a temporary file";
}

TEST_F(ResultFiles, ResultRoundTripsThroughTheFile) {
  loadgate::result r;
  r.info.scenario = "smoke";
  r.info.measured_duration = 3s;
  loadgate::observation ok;
  ok.latency = 5ms;
  ok.latency_uncorrected = 4ms;
  r.file("a", ok, 0ms, 0);
  loadgate::observation timeout;
  timeout.failure = loadgate::failure_kind::timeout;
  timeout.cause = "deadline passed (connect, request or idle timeout)";
  r.file("a", timeout, 1200ms, 1);
  loadgate::observation llm = ok;
  llm.llm = true;
  llm.adapter = "org/a";
  llm.ttft = 2ms;
  r.file("generate", llm, 1'000'000'001ns, 2);  // a first sight, to the nanosecond
  const auto file = loadgate::write_result(r, loadgate::create_run_folder(root, "smoke"));
  EXPECT_EQ(loadgate::read_result(file), r);
  EXPECT_EQ(std::distance(fs::directory_iterator{file.parent_path()}, fs::directory_iterator{}), 1)
      << "result.json alone: the temporary file was renamed";
}

TEST_F(ResultFiles, AVersion1ResultFileSaysToRunTheScenarioAgain) {
  fs::create_directories(root);
  const auto file = root / "old.json";
  std::ofstream{file} << R"({"schema": "loadgate.result", "schema_version": 1, "run": {}, "requests": {}, "series": {}})";
  EXPECT_THAT([&] { (void)loadgate::read_result(file); },
              testing::ThrowsMessage<loadgate::configuration_error>(
                  testing::AllOf(testing::HasSubstr("version-1 result"), testing::HasSubstr("run the scenario again"))));
}

TEST_F(ResultFiles, ReadingSomethingElseSaysSo) {
  fs::create_directories(root);
  std::ofstream{root / "bad.json"} << "{\"hello\": 1}";
  EXPECT_THROW(loadgate::read_result(root / "bad.json"), loadgate::configuration_error);
  std::ofstream{root / "garbage.json"} << "{not json";
  EXPECT_THAT([&] { (void)loadgate::read_result(root / "garbage.json"); },
              testing::ThrowsMessage<loadgate::configuration_error>(testing::HasSubstr("not a loadgate result")));
}
