#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/arrival_process.hpp"
#include "loadgate/error.hpp"
#include "loadgate/stage.hpp"
#include "loadgate/think_time.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

template <class T>
T round_trip(const T& value) {
  return json::parse(json(value).dump()).get<T>();
}

template <class T>
void expect_rejected(const char* text, const std::string& message) {
  const auto j = json::parse(text);
  EXPECT_THAT([&] { (void)j.get<T>(); }, ThrowsMessage<configuration_error>(HasSubstr(message))) << text;
}

TEST(WorkloadJson, ThinkTimeRoundTrips) {
  for (const auto& t : {think_time{}, constant(250ms), between(500ms, 1500ms), constant_pacing(1s), between(1500us, 2ms)})
    EXPECT_EQ(round_trip(t), t);
  EXPECT_EQ(json(between(500ms, 1500ms)), json::parse(R"({"type":"between","min_ms":500.0,"max_ms":1500.0})"));
}

TEST(WorkloadJson, ThinkTimeReadsTheDocumentedForms) {
  EXPECT_EQ(json::parse(R"({"type":"between","min_ms":0.5,"max_ms":2})").get<think_time>(), between(500us, 2ms));
  EXPECT_EQ(json::parse(R"({"type":"constant","wait_ms":100})").get<think_time>(), constant(100ms));
  EXPECT_EQ(json::parse(R"({"type":"constant_pacing","pacing_ms":1000})").get<think_time>(), constant_pacing(1s));
  EXPECT_EQ(json::parse(R"({"type":"constant_throughput","tasks_per_second":4})").get<think_time>(), constant_pacing(250ms));
  EXPECT_EQ(json::parse(R"({"type":"none"})").get<think_time>(), think_time{});
}

TEST(WorkloadJson, ThinkTimeRejectsBadFieldsNamingTheAllowedOnes) {
  expect_rejected<think_time>(R"({"type":"between","min_ms":1,"max":2})",
                              "think_time: unknown field 'max'; allowed: type, min_ms, max_ms");
  expect_rejected<think_time>(R"({"type":"gaussian"})", "unknown type 'gaussian'; allowed: none, constant, between");
  expect_rejected<think_time>(R"({"min_ms":1})", "field 'type' (a string) is required");
  expect_rejected<think_time>(R"({"type":"constant"})", "missing field 'wait_ms'");
  expect_rejected<think_time>(R"({"type":"constant","wait_ms":"1s"})", "'wait_ms' must be a number >= 0");
  expect_rejected<think_time>(R"({"type":"constant","wait_ms":-1})", "'wait_ms' must be a number >= 0");
  expect_rejected<think_time>(R"({"type":"between","min_ms":2,"max_ms":1})", "high must be >= low");
  expect_rejected<think_time>(R"({"type":"constant_throughput","tasks_per_second":0})", "must be > 0");
  expect_rejected<think_time>(R"({"type":"constant","wait_ms":1e300})", "too long");
}

TEST(WorkloadJson, ArrivalProcessRoundTrips) {
  for (const auto& a : {arrival_process::constant(), arrival_process::poisson(), arrival_process::gamma(0.5)})
    EXPECT_EQ(round_trip(a), a);
  EXPECT_EQ(json(arrival_process::gamma(0.5)), json::parse(R"({"type":"gamma","burstiness":0.5})"));
}

TEST(WorkloadJson, ArrivalProcessRejectsBadFields) {
  expect_rejected<arrival_process>(R"({"type":"poisson","burstiness":2})",
                                   "arrivals: unknown field 'burstiness'; allowed: type");
  expect_rejected<arrival_process>(R"({"type":"gamma","cv":2})", "unknown field 'cv'; allowed: type, burstiness");
  expect_rejected<arrival_process>(R"({"type":"gamma"})", "missing field 'burstiness'");
  expect_rejected<arrival_process>(R"({"type":"gamma","burstiness":0})", "burstiness must be > 0");
  expect_rejected<arrival_process>(R"({"type":"uniform"})", "unknown type 'uniform'; allowed: constant, poisson, gamma");
  expect_rejected<arrival_process>(R"("poisson")", "field 'type' (a string) is required");
}

TEST(WorkloadJson, StagesRoundTripAndDefaultToNoRampOrHold) {
  const load_shape shape{{100, 10s, 60s}, {250.5, 1500ms, 0s}};
  EXPECT_EQ(round_trip(shape), shape);
  EXPECT_EQ(json(shape[0]), json::parse(R"({"target":100.0,"ramp_s":10.0,"hold_s":60.0})"));
  EXPECT_EQ(json::parse(R"({"target":5,"hold_s":0.25})").get<stage>(), (stage{5, 0s, 250ms}));
}

TEST(WorkloadJson, StageRejectsBadFields) {
  expect_rejected<stage>(R"({"target":5,"duration_s":10})",
                         "stage: unknown field 'duration_s'; allowed: target, ramp_s, hold_s");
  expect_rejected<stage>(R"({"ramp_s":10})", "missing field 'target'");
  expect_rejected<stage>(R"({"target":-5})", "'target' must be a number >= 0");
  expect_rejected<stage>(R"([5, 10])", "stage: expected a JSON object");
}

}  // namespace
}  // namespace loadgate
