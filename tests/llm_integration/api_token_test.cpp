// The API token: read from the environment variable the options name, sent as a bearer token,
// and never written into the result, its JSON file or the summary.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "loadgate/llm/llm.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/run.hpp"
#include "loadgate/summary_table.hpp"
#include "support/test_server.hpp"
#include "temp_path.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;

TEST(ApiToken, IsSentInTheHeaderAndAbsentFromEveryOutput) {
  const std::string secret = "lg-secret-7f3a9c";
  ::setenv("LOADGATE_TEST_API_TOKEN", secret.c_str(), 1);
  testing::test_server server{{.body = R"({"generated_text":"hi","details":{"generated_tokens":2}})"}};
  lorax::options o;
  o.api_token_env = "LOADGATE_TEST_API_TOKEN";
  o.max_new_tokens = 2;
  const auto r = run(scenario{"token"}.duration(300ms).task(lorax::generate(o)), target::parse(server.url()));
  ::unsetenv("LOADGATE_TEST_API_TOKEN");
  ASSERT_GT(r.total({.request = "generate"}).successes(), 0u);
  EXPECT_EQ(server.last_request().header("Authorization"), "Bearer " + secret);

  EXPECT_EQ(nlohmann::json(r).dump().find(secret), std::string::npos);
  EXPECT_EQ(summary_table(r).find(secret), std::string::npos);
  const auto parent = loadgate::test_support::temp_path("token");
  const auto file = write_result(r, create_run_folder(parent, "token"));
  std::ostringstream written;
  written << std::ifstream{file}.rdbuf();
  std::filesystem::remove_all(parent);
  EXPECT_GT(written.str().size(), 100u);
  EXPECT_EQ(written.str().find(secret), std::string::npos);
}

}  // namespace
}  // namespace loadgate
