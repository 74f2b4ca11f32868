#include <gtest/gtest.h>

#include <string>

#include "loadgate/task.hpp"

namespace loadgate {
namespace {

TEST(FailureFromStatus, ClassifiesEveryRange) {
  EXPECT_EQ(failure_from_status(200), std::nullopt);
  EXPECT_EQ(failure_from_status(204), std::nullopt);
  EXPECT_EQ(failure_from_status(302), std::nullopt);
  EXPECT_EQ(failure_from_status(404), failure_kind::http_4xx);
  EXPECT_EQ(failure_from_status(429), failure_kind::overloaded);
  EXPECT_EQ(failure_from_status(500), failure_kind::http_5xx);
  EXPECT_EQ(failure_from_status(503), failure_kind::http_5xx);
  EXPECT_EQ(failure_from_status(101), failure_kind::protocol);
  EXPECT_EQ(failure_from_status(0), failure_kind::protocol);
  EXPECT_EQ(failure_from_status(600), failure_kind::protocol);
}

TEST(StatusReader, JudgesByTheStatus) {
  status_reader ok;
  ok.on_status(200);
  EXPECT_EQ(ok.finish(clock::time_point{}), std::nullopt);
  status_reader busy;
  busy.on_status(429);
  EXPECT_EQ(busy.finish(clock::time_point{}), failure_kind::overloaded);
  status_reader silent;  // never saw a status line
  EXPECT_EQ(silent.finish(clock::time_point{}), failure_kind::protocol);
}

// After the exchange the engine hands the reader its observation: a failed status becomes the
// cause, with the start of the body on one line.
TEST(StatusReader, AFailedStatusAndTheBodysStartBecomeTheCause) {
  status_reader unavailable;
  unavailable.on_status(503);
  unavailable.on_body("{\"error\":\"busy\",\n", clock::time_point{});
  unavailable.on_body("\t\"retry\":\r\n3}", clock::time_point{});
  observation o;
  o.failure = unavailable.finish(clock::time_point{});
  unavailable.observe(o);
  EXPECT_EQ(o.failure, failure_kind::http_5xx);
  EXPECT_EQ(o.cause, "HTTP 503: {\"error\":\"busy\",  \"retry\":  3}");

  status_reader long_body;
  long_body.on_status(404);
  long_body.on_body(std::string(100, 'a'), clock::time_point{});
  long_body.on_body(std::string(100, 'b'), clock::time_point{});
  observation missing;
  missing.failure = long_body.finish(clock::time_point{});
  long_body.observe(missing);
  EXPECT_EQ(status_reader::cause_body_bytes, 120u);
  EXPECT_EQ(missing.cause, "HTTP 404: " + std::string(100, 'a') + std::string(20, 'b')) << "the first 120 bytes only";

  status_reader empty_body;
  empty_body.on_status(429);
  observation busy;
  busy.failure = empty_body.finish(clock::time_point{});
  empty_body.observe(busy);
  EXPECT_EQ(busy.cause, "HTTP 429");
}

TEST(StatusReader, SuccessesAndTransportFailuresKeepTheirCause) {
  status_reader ok;
  ok.on_status(200);
  ok.on_body("fine", clock::time_point{});
  observation success;
  success.failure = ok.finish(clock::time_point{});
  ok.observe(success);
  EXPECT_TRUE(success.ok());
  EXPECT_TRUE(success.cause.empty());

  status_reader refused;  // never saw a status: the transport's cause stands
  observation o;
  o.failure = failure_kind::connect;
  o.cause = "connect: Connection refused";
  refused.observe(o);
  EXPECT_EQ(o.cause, "connect: Connection refused");

  status_reader cut;  // a status, then the connection reset mid-body: the transport's words win
  cut.on_status(500);
  cut.on_body("partial", clock::time_point{});
  observation reset;
  reset.failure = failure_kind::reset;
  reset.cause = "read: Connection reset by peer";
  cut.observe(reset);
  EXPECT_EQ(reset.cause, "read: Connection reset by peer");
  EXPECT_FALSE(success.llm) << "a plain reader adds no LLM figures";
}

TEST(HttpStatusCause, StatusAndBodyStartOnOneLine) {
  EXPECT_EQ(http_status_cause(502, ""), "HTTP 502");
  EXPECT_EQ(http_status_cause(503, "a\nb\rc\td"), "HTTP 503: a b c d");
}

TEST(HttpTask, BuildsTheSameRequestEveryTime) {
  const auto t = http_task("generate", "POST", "/generate", R"({"inputs":"hi"})");
  EXPECT_EQ(t.name, "generate");
  EXPECT_FALSE(t.reader);
  loadgate::random_engine rng{1};
  task_context context{rng, 0, 0};
  const auto first = t.request(context);
  const auto second = t.request(context);
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(first.path, "/generate");
  EXPECT_EQ(first.body, R"({"inputs":"hi"})");
  EXPECT_EQ(second.body, first.body);
}

}  // namespace
}  // namespace loadgate
