#include "loadgate/summary_table.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <optional>
#include <gtest/gtest.h>

#include "loadgate/llm/per_request_slo.hpp"
#include "observations.hpp"

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

using loadgate::test_support::observed_failure;
using loadgate::test_support::observed_success;

}  // namespace

TEST(SummaryTable, OneRowPerNameAndATotal) {
  loadgate::result r;
  r.info.measured_duration = 2s;
  for (int i = 1; i <= 100; ++i) r.file("generate", observed_success(std::chrono::milliseconds{i}), 0s, 0);
  r.file("health", observed_success(1ms), 0s, 0);
  r.file("health", observed_failure(loadgate::failure_kind::overloaded, "HTTP 429: slow down"), 0s, 0);
  const auto table = loadgate::summary_table(r);
  EXPECT_THAT(table, HasSubstr("p95 ms"));
  // name, requests, failures, fail%, req/s, p50, p90, p95, p99, max, TTFT p95
  EXPECT_THAT(table, testing::ContainsRegex("generate +100 +0 +0.00 +50.0 +50\\.0[0-9] +90\\.[0-9]+ +95\\.[0-9]+ +99\\.[0-9]+ +100\\.[0-9]+\n"));
  EXPECT_THAT(table, testing::ContainsRegex("health +2 +1 +50.00"));
  EXPECT_THAT(table, testing::ContainsRegex("\\(total\\) +102 +1"));
  EXPECT_THAT(table, HasSubstr("failures by kind: overloaded 1"));
}

TEST(SummaryTable, FailureCausesAreListedByNameAndKind) {
  loadgate::result r;
  r.info.measured_duration = 1s;
  r.file("home", observed_success(1ms), 0s, 0);
  for (int i = 0; i < 9; ++i)
    r.file("home", observed_failure(loadgate::failure_kind::http_5xx, "HTTP 503: busy " + std::to_string(i % 7)), 0s, 0);
  r.file("home", observed_failure(loadgate::failure_kind::connect, "connect: Connection refused"), 0s, 0);
  const auto table = loadgate::summary_table(r);
  EXPECT_THAT(table, HasSubstr("failure causes (up to 5 distinct per kind):"));
  EXPECT_THAT(table, HasSubstr("home http_5xx (9):"));
  EXPECT_THAT(table, HasSubstr("    HTTP 503: busy 4\n"));
  EXPECT_EQ(table.find("HTTP 503: busy 5"), std::string::npos) << "five distinct causes at most";
  EXPECT_THAT(table, HasSubstr("home connect (1):\n    connect: Connection refused\n"));
}

TEST(SummaryTable, LlmAndAdapterSectionsWhenTheResultHasThem) {
  using namespace loadgate;
  result r;
  r.info.measured_duration = 2s;
  const llm::per_request_slo no_limit;
  for (int i = 1; i <= 10; ++i) {
    observation o;
    o.llm = true;
    o.ttft = std::chrono::milliseconds{10 * i};
    o.tpot = 5ms;
    o.e2e = *o.ttft + 100ms;
    o.latency = *o.e2e;
    o.latency_uncorrected = *o.e2e;
    o.output_tokens = 20;
    o.token_source = token_count_source::server;
    o.adapter = i % 2 ? "org/lora-a" : "";
    o.adapter_loaded = false;  // as lorax-sim says it: x-adapter-load-time 0
    o.server_ttft = std::chrono::microseconds{10'000 * i - 250};
    o.server_total = o.server_inference = *o.e2e;  // no queue: receipt to first token is the TTFT
    o.met_slo = no_limit.met_by(o);  // as the Recorder does
    r.file("generate_stream", o, std::chrono::milliseconds{i}, 0);
  }
  const auto table = summary_table(r);
  EXPECT_THAT(table, HasSubstr("TTFT p50"));
  EXPECT_THAT(table, testing::ContainsRegex("generate_stream +50\\.0[0-9] +100\\.0[0-9] +100\\.0[0-9] +5\\.0[0-9] +5\\.0[0-9] +- +100\\.0 +5\\.0 +0\\.25 +0\\.25"));
  // adapter, requests, failures, req/s, p50 ... max, TTFT p95, cold, cold p50, warm p50
  EXPECT_THAT(table, testing::ContainsRegex("org/lora-a +5 +0 +2\\.5 +150\\.[0-9]+ .* +1 +110\\.[0-9]+ +150\\.[0-9]+\n"));
  EXPECT_THAT(table, testing::ContainsRegex("\\(base model\\) +5 +0 +2\\.5 +160\\.[0-9]+ .* +1 +120\\.[0-9]+ +160\\.[0-9]+\n"));
  EXPECT_THAT(table, testing::ContainsRegex("generate_stream +10 +0 +0\\.00")) << "LLM requests count in the first table too";
  EXPECT_EQ(table.find("SLO {"), std::string::npos) << "no SLO to name";
  EXPECT_EQ(table.find("neither cold nor warm"), std::string::npos) << "the server said which were cold";
}

TEST(SummaryTable, SaysHowManyRequestsWereNeitherColdNorWarm) {
  using namespace loadgate;
  result r;
  r.info.measured_duration = 1s;
  for (int i = 0; i < 3; ++i) {
    observation o;
    o.llm = true;
    o.adapter = "org/lora-a";  // and nothing said about its load, as LoRAX says nothing
    o.latency = 100ms;
    r.file("generate", o, std::chrono::milliseconds{i}, 0);
  }
  EXPECT_THAT(summary_table(r), HasSubstr("(2 successful requests neither cold nor warm: the server does not say when it loads an adapter"));
}

TEST(SummaryTable, TheSloIsNamedWhenThereIsOne) {
  using namespace loadgate;
  result r;
  r.info.measured_duration = 1s;
  r.info.per_request_slo = R"({"ttft_ms":250.0})";
  observation o;
  o.llm = true;
  o.ttft = 100ms;
  o.latency = 200ms;
  o.met_slo = true;
  r.file("generate_stream", o, 0s, 0);
  EXPECT_THAT(summary_table(r), HasSubstr(R"(SLO {"ttft_ms":250.0})"));
}

TEST(SummaryTable, NoLlmSectionsForPlainRuns) {
  loadgate::result r;
  r.info.measured_duration = 1s;
  r.file("home", observed_success(1ms), 0s, 0);
  const auto table = loadgate::summary_table(r);
  EXPECT_EQ(table.find("TTFT"), std::string::npos);
  EXPECT_EQ(table.find("adapter"), std::string::npos);
  EXPECT_EQ(table.find("failure causes"), std::string::npos) << "nothing failed";
}

TEST(SummaryTable, ColourOnlyWhenAsked) {
  using namespace loadgate;
  result r;
  r.info.measured_duration = 1s;
  r.file("home", test_support::observed_success(1ms), 0s, 0);
  r.file("home", test_support::observed_failure(failure_kind::timeout, "late"), 0s, 0);
  EXPECT_EQ(summary_table(r).find('\x1b'), std::string::npos);
  const auto coloured = summary_table(r, {.colour = true});
  EXPECT_THAT(coloured, HasSubstr("\x1b[31m1\x1b[0m")) << "a failure count in red";
  // Columns still line up: the colour takes no room.
  const auto plain_lines = summary_table(r);
  EXPECT_EQ(coloured.substr(0, coloured.find('\n')), plain_lines.substr(0, plain_lines.find('\n')));
}

TEST(SummaryTable, ColourIsWantedOnATerminalUnlessNoColorIsSet) {
  // A pseudo-terminal stands in for the user's terminal.
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  // The environment as it was, afterwards.
  const auto saved = [](const char* name) { const char* v = std::getenv(name); return v ? std::optional<std::string>{v} : std::nullopt; };
  const auto no_color = saved("NO_COLOR"), term = saved("TERM");
  const auto restore = [](const char* name, const std::optional<std::string>& v) {
    v ? ::setenv(name, v->c_str(), 1) : ::unsetenv(name);
  };
  ::unsetenv("NO_COLOR");
  ::setenv("TERM", "xterm", 1);
  EXPECT_TRUE(loadgate::colour_wanted(terminal));
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(loadgate::colour_wanted(terminal)) << "no-color.org";
  ::setenv("NO_COLOR", "", 1);
  EXPECT_TRUE(loadgate::colour_wanted(terminal)) << "an empty NO_COLOR is unset";
  ::setenv("TERM", "dumb", 1);
  EXPECT_FALSE(loadgate::colour_wanted(terminal));
  ::unsetenv("NO_COLOR");
  ::setenv("TERM", "xterm", 1);
  EXPECT_FALSE(loadgate::colour_wanted(pipe_ends[1])) << "a pipe or a file gets no colour";
  for (const int fd : {master, terminal, pipe_ends[0], pipe_ends[1]}) ::close(fd);
  restore("NO_COLOR", no_color);
  restore("TERM", term);
}
