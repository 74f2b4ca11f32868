// `loadgate merge` as the distributed recipes run it: shards from run folders, result.json files
// and logs (--print-result, then kubectl logs), and one clear line for a set that is not one run.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/sharding.hpp"
#include "cli/exit_codes.hpp"
#include "loadgate_command.hpp"
#include "loadgate/result_files.hpp"
#include "sample_results.hpp"

namespace fs = std::filesystem;
using testing::HasSubstr;

namespace {

using namespace loadgate::cli;  // the exit codes

struct MergeCommand : testing::Test {
  fs::path dir = fs::temp_directory_path() / ("loadgate-merge-command-" + std::to_string(::getpid()) + "-" +
                                              testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::remove_all(dir); fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }

  static loadgate::result shard(std::size_t i) {
    auto r = loadgate::test_support::sample_result();
    r.info.shard_starts = {loadgate::shard_start{{i, 3}, std::chrono::microseconds{10 * i}}};
    r.info.shared_start_unix_ms = 1'700'000'000'000;
    return r;
  }
  std::string folder_of(std::size_t i) {
    const auto folder = dir / ("shard" + std::to_string(i));
    fs::create_directories(folder);
    loadgate::write_result(shard(i), folder);
    return folder.string();
  }
  std::string log_of(std::size_t i) {
    const auto file = dir / ("shard" + std::to_string(i) + ".log");
    std::ofstream out{file};
    out << "shard " << i << "/3: waiting 1s for the shared start\n";
    loadgate::cli::print_result_block(out, shard(i));
    out << "result: /results/…/result.json\n";
    return file.string();
  }
  loadgate::test_support::command_output merge(const std::string& inputs) {
    return loadgate::test_support::run_loadgate("merge " + inputs + " --out " + (dir / "merged").string());
  }
};

TEST_F(MergeCommand, ShardsFromAFolderAResultFileAndALogMergeIntoTheRun) {
  const auto o = merge(folder_of(1) + " " + log_of(2) + " " + folder_of(3) + "/result.json");
  ASSERT_EQ(o.exit_code, exit_completed) << o.output;
  EXPECT_THAT(o.output, HasSubstr("3 shards merged, begun after the shared start: 1/3 +0.01 ms, 2/3 +0.02 ms, 3/3 +0.03 ms"));
  const auto r = loadgate::read_result(loadgate::test_support::only_run_folder(dir / "merged") / "result.json");
  EXPECT_EQ(r.total().count(), 3 * loadgate::test_support::sample_result().total().count());
  EXPECT_EQ(r.info.shard_starts.size(), 3u);
}

TEST_F(MergeCommand, AMissingShardIsOneLineAndNoFolder) {
  const auto o = merge(folder_of(1) + " " + folder_of(3));
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("shard 2/3 missing"));
  EXPECT_FALSE(fs::exists(dir / "merged")) << "nothing is written for a set that is not one run";
}

TEST_F(MergeCommand, AShardGivenTwiceNamesTheFile) {
  const auto twice = folder_of(2);
  const auto o = merge(folder_of(1) + " " + twice + " " + log_of(2) + " " + folder_of(3));
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("shard2.log: shard 2/3 is given twice"));
}

TEST_F(MergeCommand, ALogWithoutAResultSaysSo) {
  const auto file = dir / "pod.log";
  std::ofstream{file} << "Error: ImagePullBackOff\n";
  const auto o = merge(folder_of(1) + " " + file.string());
  EXPECT_EQ(o.exit_code, exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("pod.log: neither a result.json nor a log holding one"));
}

}  // namespace
