// The Prometheus text reader: LoRAX's and vLLM's /metrics read sample by sample, and every way
// the grammar can break named with its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "protocol/prometheus_text.hpp"

namespace loadgate::protocol {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

TEST(PrometheusText, ReadsSamplesLabelsEscapesAndStamps) {
  const auto samples = parse_prometheus_text(
      "# HELP lorax_queue_length Requests waiting\n"
      "# TYPE lorax_queue_length gauge\n"
      "lorax_queue_length 3\n"
      "\n"
      "lorax_request_failure{err=\"overloaded\"} 12\r\n"
      "vllm:num_requests_running{model_name=\"m\",} 2.5e1 1733000000000\n"
      "odd{path=\"C:\\\\x\",quote=\"a \\\"b\\\"\",nl=\"1\\n2\"} -Inf\n"
      "  spaced\t{ a = \"1\" , b=\"2\" }   +7\n"
      "missing NaN\n");
  ASSERT_EQ(samples.size(), 6u);
  EXPECT_EQ(samples[0], (prometheus_sample{"lorax_queue_length", {}, 3, std::nullopt}));
  EXPECT_EQ(samples[1], (prometheus_sample{"lorax_request_failure", {{"err", "overloaded"}}, 12, std::nullopt}));
  EXPECT_EQ(samples[2], (prometheus_sample{"vllm:num_requests_running", {{"model_name", "m"}}, 25, 1733000000000}));
  EXPECT_EQ(samples[3].labels, (std::vector<std::pair<std::string, std::string>>{{"path", "C:\\x"}, {"quote", "a \"b\""}, {"nl", "1\n2"}}));
  EXPECT_TRUE(std::isinf(samples[3].value) && samples[3].value < 0);
  EXPECT_EQ(samples[4], (prometheus_sample{"spaced", {{"a", "1"}, {"b", "2"}}, 7, std::nullopt}));
  EXPECT_TRUE(std::isnan(samples[5].value));
  EXPECT_TRUE(parse_prometheus_text("").empty());
  EXPECT_TRUE(parse_prometheus_text("# only a comment\n# TYPE x untyped\n").empty());
}

TEST(PrometheusText, BrokenLinesAreNamedWithTheirNumber) {
  const auto fails = [](const char* text, const char* message) {
    EXPECT_THAT([text] { (void)parse_prometheus_text(text); }, ThrowsMessage<prometheus_text_error>(HasSubstr(message))) << text;
  };
  fails("ok 1\n9lives 2\n", "line 2: expected a metric name");
  fails("name{le=\"1\" 2\n", "line 1: expected '}' to close the labels of 'name'");
  fails("name{le 1}\n", "line 1: expected '=' after the label name 'le'");
  fails("name{le=1} 2\n", "line 1: expected '\"' to open the value of the label 'le'");
  fails("name{le=\"1} 2\n", "line 1: the value of the label 'le' is not closed by '\"'");
  fails("name{le=\"\\t\"} 2\n", "line 1: unknown escape '\\t' in the label 'le'");
  fails("name{a:b=\"1\"} 2\n", "line 1: expected '=' after the label name 'a'");
  fails("name\n", "line 1: the sample 'name' has no value");
  fails("name twelve\n", "line 1: 'twelve' is not a sample value (a number, NaN, +Inf or -Inf)");
  fails("name 1e999\n", "'1e999' is not a sample value");
  fails("name 1 12.5\n", "line 1: '12.5' is not a timestamp (whole milliseconds)");
  fails("name 1 12 extra\n", "line 1: unexpected text after the timestamp");
  fails("# TYPE name meter\n", "line 1: 'meter' is not a metric type (counter, gauge, histogram, summary, untyped)");
  fails("# TYPE name gauge extra\n", "line 1: unexpected text after the metric type");
  fails("whole 12345\ncut 12", "the text does not end with a line feed: it was cut short");
}

}  // namespace
}  // namespace loadgate::protocol
