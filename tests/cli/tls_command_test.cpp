// https as a user meets it with `loadgate run`: a self-signed certificate is refused before any
// request, with what to do; trusted with --ca-file; accepted unchecked with --insecure, which the
// result and every report then say.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/exit_codes.hpp"
#include "file_text.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate_command.hpp"
#include "support/temp_path.hpp"
#include "support/test_server.hpp"

namespace {

namespace fs = std::filesystem;
using loadgate::test_support::file_text;
using loadgate::test_support::only_run_folder;
using loadgate::test_support::run_loadgate;
using testing::HasSubstr;

struct TlsCommand : testing::Test {
  loadgate::testing::test_server server{{.tls = true}};
  fs::path dir = loadgate::test_support::temp_path("tls-command");
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  loadgate::test_support::command_output run(const std::string& flags, const std::string& out) {
    return run_loadgate("run " + server.url() + " --users 2 --duration 300ms --quiet --out " + (dir / out).string() +
                        " " + flags);
  }
};

}  // namespace

TEST_F(TlsCommand, ASelfSignedCertificateIsRefusedBeforeAnyRequestSayingWhatToDo) {
  const auto o = run("", "refused");
  EXPECT_EQ(o.exit_code, loadgate::cli::exit_cannot_start) << o.output;
  EXPECT_THAT(o.output, HasSubstr("certificate verify failed"));
  EXPECT_THAT(o.output, HasSubstr("--ca-file FILE"));
  EXPECT_EQ(server.requests(), 0u);
}

TEST_F(TlsCommand, TheCertificateIsTrustedWithItsCaFile) {
  std::ofstream{dir / "ca.pem"} << server.certificate_pem();
  const auto o = run("--ca-file " + (dir / "ca.pem").string(), "trusted");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const auto r = loadgate::read_result(only_run_folder(dir / "trusted") / "result.json");
  EXPECT_GT(r.total().successes(), 0u);
  EXPECT_EQ(r.total().failures(), 0u);
  EXPECT_FALSE(r.info.insecure);
  EXPECT_THAT(o.output, testing::Not(HasSubstr("NOT verified")));
}

TEST_F(TlsCommand, InsecureIsAcceptedAndSaidInTheResultAndEveryReport) {
  const auto o = run("--insecure", "insecure");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const auto folder = only_run_folder(dir / "insecure");
  const auto r = loadgate::read_result(folder / "result.json");
  EXPECT_GT(r.total().successes(), 0u);
  EXPECT_TRUE(r.info.insecure);
  EXPECT_THAT(file_text(folder / "result.json"), HasSubstr("\"insecure\": true"));
  EXPECT_THAT(file_text(folder / "summary.md"), HasSubstr("certificate NOT verified: --insecure"));
  EXPECT_THAT(file_text(folder / "report.html"), HasSubstr("certificate NOT verified: --insecure"));
  EXPECT_THAT(o.output, HasSubstr("the target's certificate was NOT verified (--insecure)"));
}

TEST_F(TlsCommand, TlsFlagsForAnHttpTargetAreRefused) {
  const auto o = run_loadgate("run http://127.0.0.1:1 --insecure --duration 1s");
  EXPECT_EQ(o.exit_code, loadgate::cli::exit_configuration) << o.output;
  EXPECT_THAT(o.output, HasSubstr("--insecure applies to https targets"));
}
