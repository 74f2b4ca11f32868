// The tally: counts by outcome and failure kind, histograms of successes, the failure causes kept
// as examples, exact merges, keys and filters, and the JSON it is stored as.
#include "loadgate/tally.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

observation success(std::chrono::nanoseconds latency, std::chrono::nanoseconds uncorrected) {
  observation o;
  o.latency = latency;
  o.latency_uncorrected = uncorrected;
  return o;
}

observation failed(failure_kind kind, std::string cause = {}) {
  observation o;
  o.failure = kind;
  o.cause = std::move(cause);
  o.latency = 3ms;  // a failure's latency is never timed
  o.latency_uncorrected = 3ms;
  return o;
}

tally sample_tally() {
  tally s;
  for (int i = 1; i <= 90; ++i) s.record(success(std::chrono::milliseconds{i} + 2ms, std::chrono::milliseconds{i}));
  for (int i = 0; i < 7; ++i) s.record(failed(failure_kind::timeout, "deadline passed (connect, request or idle timeout)"));
  for (int i = 0; i < 3; ++i) s.record(failed(failure_kind::http_5xx, "HTTP 503: busy " + std::to_string(i)));
  return s;
}

TEST(Tally, CountsSuccessesAndFailuresByKind) {
  const auto s = sample_tally();
  EXPECT_EQ(s.count(), 100u);
  EXPECT_EQ(s.successes(), 90u);
  EXPECT_EQ(s.failures(), 10u);
  EXPECT_EQ(s.failures(failure_kind::timeout), 7u);
  EXPECT_EQ(s.failures(failure_kind::http_5xx), 3u);
  EXPECT_EQ(s.failures(failure_kind::connect), 0u);
  EXPECT_DOUBLE_EQ(s.failure_rate(), 0.1);
  EXPECT_EQ(tally{}.failure_rate(), 0.0);
  EXPECT_TRUE(tally{}.empty());
  EXPECT_FALSE(s.empty());
}

TEST(Tally, HistogramsHoldSuccessesOnlyInMicroseconds) {
  const auto s = sample_tally();
  EXPECT_EQ(s.latency().count(), 90u);
  EXPECT_EQ(&s.latency(), &s.of(measure::latency));
  EXPECT_EQ(s.latency().max(), 92'000);
  EXPECT_EQ(s.of(measure::latency_uncorrected).max(), 90'000);
  EXPECT_EQ(s.of(measure::latency_uncorrected).count(), 90u);
  EXPECT_EQ(s.latency().min(), 3'000);
}

TEST(Tally, APlainRequestRecordsNoLlmFigures) {
  auto o = success(10ms, 9ms);
  o.ttft = 5ms;  // not read by an LLM reader: o.llm is false
  o.output_tokens = 7;
  o.finish_reason = "length";
  tally t;
  t.record(o);
  EXPECT_EQ(t.successes(), 1u);
  EXPECT_EQ(t.latency().count(), 1u);
  EXPECT_TRUE(t.of(measure::ttft).empty());
  EXPECT_TRUE(t.of(measure::output_tokens).empty());
  EXPECT_EQ(t.output_tokens_total(), 0u);
  EXPECT_TRUE(t.finish_reasons().empty());
}

TEST(Tally, MergeAddsEverything) {
  auto a = sample_tally();
  tally b;
  b.record(failed(failure_kind::reset, "read: Connection reset by peer"));
  b.record(success(500ms, 400ms));
  a.merge(b);
  EXPECT_EQ(a.count(), 102u);
  EXPECT_EQ(a.failures(failure_kind::reset), 1u);
  EXPECT_EQ(a.failures(failure_kind::timeout), 7u);
  EXPECT_EQ(a.latency().max(), 500'000);
  EXPECT_EQ(a.of(measure::latency_uncorrected).count(), 91u);
  EXPECT_THAT(a.examples().at(failure_kind::reset), ElementsAre("read: Connection reset by peer"));
}

TEST(Tally, MergeEqualsRecordingEverythingInOne) {
  tally odd, even, all;
  for (int i = 0; i < 200; ++i) {
    const auto o = i % 9 == 0 ? failed(i % 2 ? failure_kind::connect : failure_kind::timeout, "cause " + std::to_string(i % 4))
                              : success(std::chrono::microseconds{997 * i + 1}, std::chrono::microseconds{500 * i + 1});
    (i % 2 ? odd : even).record(o);
    all.record(o);
  }
  auto merged = even;
  merged.merge(odd);
  EXPECT_EQ(merged, all);
  tally empty;
  empty.merge(all);
  EXPECT_EQ(empty, all) << "the empty tally is the identity";
}

TEST(Tally, KeepsUpToFiveDistinctCausesPerKindInTheOrderSeen) {
  tally t;
  for (const char* cause : {"a", "b", "a", "c", "d", "b", "e", "f", "g"}) t.record(failed(failure_kind::timeout, cause));
  t.record(failed(failure_kind::http_5xx, "HTTP 503: busy"));
  t.record(failed(failure_kind::connect));  // no cause: counted, nothing to keep
  EXPECT_EQ(tally::max_examples, 5u);
  EXPECT_EQ(t.failures(failure_kind::timeout), 9u);
  EXPECT_THAT(t.examples().at(failure_kind::timeout), ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_THAT(t.examples().at(failure_kind::http_5xx), ElementsAre("HTTP 503: busy"));
  EXPECT_EQ(t.failures(failure_kind::connect), 1u);
  EXPECT_EQ(t.examples().count(failure_kind::connect), 0u);
  tally successes;
  auto o = success(1ms, 1ms);
  o.cause = "not a failure";
  successes.record(o);
  EXPECT_TRUE(successes.examples().empty()) << "causes are kept for failures only";
}

TEST(Tally, MergedExamplesStayDistinctAndCapped) {
  tally a, b;
  for (const char* cause : {"a", "b", "c"}) a.record(failed(failure_kind::stream_error, cause));
  for (const char* cause : {"c", "d", "e", "f"}) b.record(failed(failure_kind::stream_error, cause));
  b.record(failed(failure_kind::overloaded, "overloaded: Model is overloaded"));
  auto ab = a;
  ab.merge(b);
  EXPECT_THAT(ab.examples().at(failure_kind::stream_error), ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_THAT(ab.examples().at(failure_kind::overloaded), ElementsAre("overloaded: Model is overloaded"));
  EXPECT_EQ(ab.failures(failure_kind::stream_error), 7u);
  auto ba = b;
  ba.merge(a);
  EXPECT_THAT(ba.examples().at(failure_kind::stream_error), ElementsAre("c", "d", "e", "f", "a"));
  EXPECT_EQ(ba.failures(), ab.failures());
}

TEST(Tally, JsonRoundTrip) {
  const auto s = sample_tally();
  const json j = s;
  EXPECT_EQ(j.at("successes"), 90);
  EXPECT_EQ(j.at("failures"), json::parse(R"({"timeout":7,"http_5xx":3})"));
  EXPECT_FALSE(j.contains("count")) << "count is successes + failures, not stored";
  EXPECT_TRUE(j.contains("latency_us"));
  EXPECT_TRUE(j.contains("latency_uncorrected_us"));
  EXPECT_FALSE(j.contains("ttft_us")) << "empty histograms are left out";
  EXPECT_FALSE(j.contains("met_slo")) << "zero counts are left out";
  EXPECT_EQ(j.at("examples").at("timeout"), json::parse(R"j(["deadline passed (connect, request or idle timeout)"])j"));
  EXPECT_EQ(j.at("examples").at("http_5xx").size(), 3u);
  const auto back = json::parse(j.dump()).get<tally>();
  EXPECT_EQ(back, s);
  EXPECT_EQ(json(back), j);
  EXPECT_EQ(json(s).get<tally>(), s) << "without a text round trip: integers built in memory are signed";
  EXPECT_EQ(json(tally{}), json::parse(R"({"successes":0})"));
  EXPECT_EQ(json(tally{}).get<tally>(), tally{});
}

void expect_tally_rejected(const json& j, const std::string& message) {
  EXPECT_THAT([&] { (void)j.get<tally>(); }, ThrowsMessage<configuration_error>(HasSubstr(message))) << j.dump();
}

TEST(Tally, MalformedJsonIsRejected) {
  json j = sample_tally();
  j["failures"]["http_3xx"] = 1;
  expect_tally_rejected(j, "unknown failure kind 'http_3xx' in 'failures'");
  j = sample_tally();
  j["count"] = 99;
  expect_tally_rejected(j, "unknown field 'count'");
  j = sample_tally();
  j["successes"] = 91;
  expect_tally_rejected(j, "the latency histograms must hold 'successes' (91) samples");
  j = sample_tally();
  j.erase("latency_us");
  expect_tally_rejected(j, "the latency histograms must hold 'successes' (90) samples");
  j = sample_tally();
  j.erase("latency_uncorrected_us");
  expect_tally_rejected(j, "must hold 'successes' (90) samples");
  j = sample_tally();
  j["failures"]["timeout"] = -7;
  expect_tally_rejected(j, "field 'timeout' must be a non-negative integer");
  j = sample_tally();
  j["failures"] = json::array();
  expect_tally_rejected(j, "tally 'failures': expected an object");
  j = sample_tally();
  j["examples"]["timeout"] = json::parse(R"(["1","2","3","4","5","6"])");
  expect_tally_rejected(j, "'examples' of 'timeout' must be a list of 1 to 5 strings");
  j = sample_tally();
  j["examples"]["timeout"] = json::parse("[1]");
  expect_tally_rejected(j, "'examples' of 'timeout' must hold strings");
  j = sample_tally();
  j["examples"]["cosmic_ray"] = json::parse(R"(["x"])");
  expect_tally_rejected(j, "unknown failure kind 'cosmic_ray' in 'examples'");
  j = sample_tally();
  j["met_slo"] = 91;
  expect_tally_rejected(j, "'met_slo' exceeds 'successes'");
  j = sample_tally();
  j["latency_us"]["count"] = "many";
  EXPECT_THROW((void)j.get<tally>(), configuration_error) << "a histogram's own errors surface as configuration errors";
  expect_tally_rejected(json::array(), "malformed tally: expected an object");
}

// ---- histograms in a tally: sparse (a window's few dozen values) and dense merge exactly -------

TEST(Tally, SparseWindowTalliesMergeExactlyIntoADenseRunTally) {
  // A whole run's tally has thousands of distinct latencies (dense histograms); a one-second
  // window's has a few dozen (sparse). Merging either way equals recording all in one tally.
  tally run, window, all;
  for (int i = 0; i < 3000; ++i) {
    const auto o = success(std::chrono::microseconds{1000 + 37 * i}, std::chrono::microseconds{900 + 29 * i});
    run.record(o);
    all.record(o);
  }
  for (int i = 0; i < 40; ++i) {
    const auto o = success(std::chrono::microseconds{250 + 1013 * i}, std::chrono::microseconds{200 + 1013 * i});
    window.record(o);
    all.record(o);
  }
  EXPECT_LT(window.latency().allocated_bytes(), 2048u) << "the window's histogram is still sparse";
  EXPECT_GT(run.latency().allocated_bytes(), 8192u) << "the run's histogram is dense";

  auto dense_into = run;
  dense_into.merge(window);
  EXPECT_EQ(dense_into, all);
  auto sparse_into = window;
  sparse_into.merge(run);
  EXPECT_EQ(sparse_into, all);
  for (const double p : {0.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(sparse_into.latency().value_at_percentile(p), all.latency().value_at_percentile(p)) << p;
    EXPECT_EQ(dense_into.latency().value_at_percentile(p), all.latency().value_at_percentile(p)) << p;
  }
  EXPECT_EQ(json(sparse_into), json(all));
  EXPECT_EQ(json(dense_into), json(all));
  EXPECT_EQ(json::parse(json(window).dump()).get<tally>(), window);
}

// ---- keys, filters, maps ---------------------------------------------------------------------

tally_key plain(std::string request) { return {std::move(request), {}, adapter_use::none}; }
tally_key llm_key(std::string request, std::string adapter, adapter_use use) {
  return {std::move(request), std::move(adapter), use};
}

TEST(TallyKey, FiltersMatchByNameAdapterAndUse) {
  const auto home = plain("home");
  const auto warm_a = llm_key("generate", "org/a", adapter_use::warm);
  const auto cold_a = llm_key("generate", "org/a", adapter_use::cold);
  const auto base = llm_key("generate", "", adapter_use::warm);
  EXPECT_TRUE(key_filter{}.matches(home));
  EXPECT_TRUE(key_filter{}.matches(cold_a));
  EXPECT_TRUE(key_filter{.request = "home"}.matches(home));
  EXPECT_FALSE(key_filter{.request = "home"}.matches(warm_a));
  EXPECT_TRUE(key_filter{.adapter = "org/a"}.matches(warm_a));
  EXPECT_TRUE(key_filter{.adapter = "org/a"}.matches(cold_a));
  EXPECT_FALSE(key_filter{.adapter = "org/a"}.matches(base));
  EXPECT_TRUE(key_filter{.adapter = ""}.matches(base)) << "\"\" is the base model";
  EXPECT_FALSE(key_filter{.adapter = ""}.matches(home)) << "a plain request has no adapter, not the base model";
  EXPECT_TRUE(key_filter{.use = adapter_use::cold}.matches(cold_a));
  EXPECT_FALSE(key_filter{.use = adapter_use::cold}.matches(warm_a));
  EXPECT_FALSE(key_filter{.use = adapter_use::cold}.matches(home));
  EXPECT_FALSE((key_filter{.request = "home", .adapter = "org/a"}.matches(warm_a)));
  EXPECT_EQ(to_string(adapter_use::cold), "cold");
  EXPECT_EQ(to_string(adapter_use::warm), "warm");
  EXPECT_EQ(to_string(measure::ttft), "ttft_us");
  EXPECT_EQ(measure_from_string("e2e_minus_server_total_us"), measure::e2e_minus_server_total);
  EXPECT_EQ(measure_from_string("count"), std::nullopt);
  for (std::size_t m = 0; m < measure_count; ++m)
    EXPECT_EQ(measure_from_string(to_string(static_cast<measure>(m))), static_cast<measure>(m));
}

tally_map sample_map() {
  tally_map m;
  m[plain("home")] = sample_tally();
  for (int i = 1; i <= 3; ++i) {
    observation o = success(std::chrono::milliseconds{10 * i}, std::chrono::milliseconds{10 * i});
    o.llm = true;
    o.adapter = "org/a";
    o.ttft = std::chrono::milliseconds{i};
    m[llm_key("generate", "org/a", i == 1 ? adapter_use::cold : adapter_use::warm)].record(o);
    o.adapter = "";
    m[llm_key("generate", "", adapter_use::warm)].record(o);
  }
  return m;
}

TEST(TallyMap, SumAddsTheTalliesAFilterMatches) {
  const auto m = sample_map();
  EXPECT_EQ(sum(m).count(), 106u);
  EXPECT_EQ(sum(m, {.request = "home"}), m.at(plain("home")));
  EXPECT_EQ(sum(m, {.request = "generate"}).count(), 6u);
  EXPECT_EQ(sum(m, {.adapter = "org/a"}).count(), 3u);
  EXPECT_EQ(sum(m, {.adapter = "org/a", .use = adapter_use::cold}).latency().max(), 10'000);
  EXPECT_EQ(sum(m, {.use = adapter_use::warm}).count(), 5u);
  EXPECT_TRUE(sum(m, {.request = "nothing"}).empty());
  EXPECT_TRUE(sum(tally_map{}).empty());
}

TEST(TallyMap, JsonRoundTripInKeyOrder) {
  const auto m = sample_map();
  const auto j = tallies_to_json(m);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4u);
  // Key order: generate (base model, warm), generate org/a warm, generate org/a cold, home.
  EXPECT_EQ(j[0].at("request"), "generate");
  EXPECT_EQ(j[0].at("adapter"), "");
  EXPECT_EQ(j[0].at("use"), "warm");
  EXPECT_EQ(j[2].at("use"), "cold");
  EXPECT_EQ(j[3].at("request"), "home");
  EXPECT_FALSE(j[3].contains("adapter")) << "plain HTTP requests have no adapter";
  EXPECT_FALSE(j[3].contains("use"));
  EXPECT_EQ(tallies_from_json(json::parse(j.dump()), "test"), m);
  EXPECT_EQ(tallies_from_json(j, "test"), m);
  EXPECT_TRUE(tallies_from_json(json::array(), "test").empty());
}

TEST(TallyMap, MalformedJsonIsRejectedNamingWhere) {
  const auto valid = tallies_to_json(sample_map());
  const auto rejected = [](const json& j, const std::string& message) {
    EXPECT_THAT([&] { (void)tallies_from_json(j, "result 'tallies'"); },
                ThrowsMessage<configuration_error>(HasSubstr(message)))
        << j.dump();
  };
  rejected(json::object(), "malformed result 'tallies': expected a list");
  auto j = valid;
  j.push_back(valid[3]);
  rejected(j, "request 'home' is listed twice");
  j = valid;
  j[1]["use"] = "lukewarm";
  rejected(j, "field 'use' must be \"warm\", \"cold\" or \"unknown\", got \"lukewarm\"");
  j = valid;
  j[1].erase("adapter");
  rejected(j, "missing field 'adapter'");
  j = valid;
  j[0].erase("request");
  rejected(j, "missing field 'request'");
  j = valid;
  j[0].erase("tally");
  rejected(j, "missing field 'tally'");
  j = valid;
  j[3]["tally"]["successes"] = 1;
  rejected(j, "must hold 'successes' (1) samples");
}

}  // namespace
}  // namespace loadgate
