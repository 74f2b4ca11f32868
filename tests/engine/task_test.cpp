#include <gtest/gtest.h>

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

TEST(HttpTask, BuildsTheSameRequestEveryTime) {
  const auto t = http_task("generate", "POST", "/generate", R"({"inputs":"hi"})");
  EXPECT_EQ(t.name, "generate");
  EXPECT_FALSE(t.reader);
  std::mt19937_64 rng{1};
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
