#include "loadgate/llm/adapter_selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

std::vector<adapter> catalogue(std::size_t n) {
  std::vector<adapter> list;
  for (std::size_t i = 0; i < n; ++i) list.push_back(adapter{"a" + std::to_string(i), "hub", 10});
  return list;
}

std::vector<std::uint64_t> counts(const adapter_selection& s, std::size_t n, std::size_t draws) {
  loadgate::random_engine rng{42};
  std::vector<std::uint64_t> c(n);
  for (std::size_t i = 0; i < draws; ++i) ++c.at(std::stoul(s.next(rng).id.substr(1)));
  return c;
}

double chi_square(const std::vector<std::uint64_t>& observed, const std::vector<double>& p) {
  double total = 0;
  for (const auto o : observed) total += static_cast<double>(o);
  double x2 = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double expected = total * p[i];
    x2 += (static_cast<double>(observed[i]) - expected) * (static_cast<double>(observed[i]) - expected) / expected;
  }
  return x2;
}

// Critical value of chi-square with 9 degrees of freedom at p = 0.001: with a fixed seed the test
// is deterministic, and a wrong distribution lands far above it (checked by the skew tests below).
constexpr double chi2_9_p001 = 27.877;

TEST(AdapterSelection, UniformFollowsItsDistribution) {
  const auto c = counts(adapter_selection::uniform(catalogue(10)), 10, 100'000);
  EXPECT_LT(chi_square(c, std::vector<double>(10, 0.1)), chi2_9_p001);
}

TEST(AdapterSelection, ZipfFollowsItsDistribution) {
  const double s = 1.1;
  std::vector<double> p(10);
  double norm = 0;
  for (int k = 0; k < 10; ++k) norm += p[k] = 1 / std::pow(k + 1.0, s);
  for (auto& x : p) x /= norm;
  const auto c = counts(adapter_selection::zipf(catalogue(10), s), 10, 100'000);
  EXPECT_LT(chi_square(c, p), chi2_9_p001);
  // And it is not uniform: the test can tell them apart.
  EXPECT_GT(chi_square(c, std::vector<double>(10, 0.1)), 100 * chi2_9_p001);
}

TEST(AdapterSelection, PowerLawFollowsSLoraDefinition) {
  const double alpha = 0.5;  // P(index = k) = ((k + 1) / n)^alpha − (k / n)^alpha
  std::vector<double> p(10);
  for (int k = 0; k < 10; ++k) p[k] = std::pow((k + 1) / 10.0, alpha) - std::pow(k / 10.0, alpha);
  const auto c = counts(adapter_selection::power(catalogue(10), alpha), 10, 100'000);
  EXPECT_LT(chi_square(c, p), chi2_9_p001);
  EXPECT_GT(c[0], c[9]);  // smaller alpha: the first adapters are the popular ones
  const auto one = counts(adapter_selection::power(catalogue(10), 1.0), 10, 100'000);
  EXPECT_LT(chi_square(one, std::vector<double>(10, 0.1)), chi2_9_p001);  // alpha 1 is uniform
}

TEST(AdapterSelection, WeightedFollowsItsWeightsIncludingTheBaseModel) {
  std::vector<std::pair<adapter, double>> list;
  list.emplace_back(base_model(), 4);
  for (int i = 1; i < 10; ++i) list.emplace_back(adapter{"a" + std::to_string(i)}, i == 5 ? 0 : 1);
  const auto s = adapter_selection::weighted(list);
  loadgate::random_engine rng{7};
  std::vector<std::uint64_t> c(10);
  for (int i = 0; i < 120'000; ++i) {
    const auto a = s.next(rng);
    ++c.at(a.is_base_model() ? 0 : std::stoul(a.id.substr(1)));
  }
  EXPECT_EQ(c[5], 0u);  // weight 0: never
  c.erase(c.begin() + 5);
  std::vector<double> p(9, 1.0 / 12);
  p[0] = 4.0 / 12;
  EXPECT_LT(chi_square(c, p), 26.124);  // 8 degrees of freedom, p = 0.001
}

TEST(AdapterSelection, RoundRobinIsExactAndSharedByCopies) {
  const auto s = adapter_selection::round_robin(catalogue(3));
  const auto copy = s;  // another user's task
  loadgate::random_engine rng{1};
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(s.next(rng).id);
    ids.push_back(copy.next(rng).id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a0", "a1", "a2", "a0", "a1", "a2", "a0", "a1"}));
}

TEST(AdapterSelection, RoundRobinIsExactAcrossThreads) {
  const auto s = adapter_selection::round_robin(catalogue(4));
  std::map<std::string, int> seen;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      loadgate::random_engine rng{1};
      std::map<std::string, int> mine;
      for (int i = 0; i < 1000; ++i) ++mine[s.next(rng).id];
      std::lock_guard lock{m};
      for (const auto& [id, n] : mine) seen[id] += n;
    });
  for (auto& t : threads) t.join();
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1000) << id;
}

TEST(AdapterSelection, DistinctNeverRepeats) {
  const auto s = adapter_selection::distinct("tenant", "s3");
  const auto copy = s;
  loadgate::random_engine rng{1};
  std::set<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    const auto a = (i % 2 ? s : copy).next(rng);
    EXPECT_EQ(a.source, "s3");
    EXPECT_TRUE(ids.insert(a.id).second) << a.id;
  }
  EXPECT_TRUE(ids.count("tenant-0"));
}

TEST(AdapterSelection, IdenticalAndTheDefaultBaseModel) {
  loadgate::random_engine rng{1};
  EXPECT_TRUE(adapter_selection{}.next(rng).is_base_model());
  const auto s = adapter_selection::identical(adapter{"one"});
  for (int i = 0; i < 10; ++i) EXPECT_EQ(s.next(rng).id, "one");
}

TEST(AdapterSelection, SameSeedSameSequence) {
  const auto s = adapter_selection::zipf(catalogue(50), 0.9);
  loadgate::random_engine a{99}, b{99};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(s.next(a), s.next(b));
}

TEST(AdapterSelection, InvalidParametersAreConfigurationErrors) {
  EXPECT_THROW(adapter_selection::uniform({}), configuration_error);
  EXPECT_THROW(adapter_selection::zipf(catalogue(3), -1), configuration_error);
  EXPECT_THROW(adapter_selection::power(catalogue(3), 0), configuration_error);
  EXPECT_THROW(adapter_selection::weighted({{adapter{"a"}, 0}}), configuration_error);
  EXPECT_THROW(adapter_selection::distinct(""), configuration_error);
}

TEST(AdapterSelection, Json) {
  const nlohmann::json j = adapter_selection::zipf(catalogue(2), 1.1);
  EXPECT_EQ(j, nlohmann::json::parse(R"({"type":"zipf","s":1.1,"adapters":["a0","a1"]})"));
}

TEST(AdapterCatalogue, ParsesTheCatalogueShape) {
  const auto list = parse_catalogue(
      R"([{"id": "org/a", "source": "hub", "size_mb": 16}, {"id": "s3://b/c", "source": "s3", "size_mb": 64.5}])");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1], (adapter{"s3://b/c", "s3", 64.5}));
}

TEST(AdapterCatalogue, RejectsOtherShapesWithAClearMessage) {
  const auto message_of = [](std::string_view text) {
    try {
      parse_catalogue(text, "adapters.json");
    } catch (const configuration_error& e) {
      return std::string{e.what()};
    }
    return std::string{"no error"};
  };
  EXPECT_NE(message_of(R"({"adapters": {}})").find("adapters.json: not a JSON array"), std::string::npos);
  EXPECT_NE(message_of(R"({"adapters": []})").find("adapters.json: no adapters"), std::string::npos);
  EXPECT_NE(message_of(R"({"list": []})").find("without an \"adapters\" array"), std::string::npos);
  EXPECT_NE(message_of(R"([{"id": "a", "source": "hub", "size_mb": 1, "broken": "yes"}])").find("\"broken\""), std::string::npos);
  EXPECT_NE(message_of(R"([{"id": "a", "source": "gcs", "size_mb": 1}])").find("entry 0: \"source\" is \"gcs\""), std::string::npos);
  EXPECT_NE(message_of(R"([{"id": "a", "source": "hub", "size_mb": 1, "rank": 8}])").find("unknown key \"rank\""), std::string::npos);
  EXPECT_NE(message_of(R"([{"id": "a", "source": "hub"}])").find("size_mb"), std::string::npos);
  EXPECT_NE(message_of(R"([{"id": "", "source": "hub", "size_mb": 1}])").find("\"id\""), std::string::npos);
  EXPECT_NE(message_of("[").find("not valid JSON"), std::string::npos);
  EXPECT_NE(message_of("[]").find("no adapters"), std::string::npos);
}

TEST(AdapterCatalogue, ReadsTheObjectFormWithPbaseAndBrokenAdapters) {
  const auto list = parse_catalogue(R"({"base_model": "m", "note": "for people", "adapters": [
      {"id": "org/a", "source": "pbase", "size_mb": 16},
      {"id": "org/b", "source": "hub", "size_mb": 32, "broken": true}]})");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], (adapter{"org/a", "pbase", 16}));
  EXPECT_EQ(list[1], (adapter{"org/b", "hub", 32, true}));
}

TEST(AdapterCatalogue, ReadsTheRepositoryCatalogueAsItIs) {
  const auto list = load_catalogue(LOADGATE_SOURCE_DIR "/fixtures/data/adapters.json");
  EXPECT_GE(list.size(), 10u);
  EXPECT_EQ(std::count_if(list.begin(), list.end(), [](const adapter& a) { return a.broken; }), 1);
}

TEST(AdapterCatalogue, MissingFileIsAConfigurationError) {
  EXPECT_THROW(load_catalogue("/nonexistent/adapters.json"), configuration_error);
}

}  // namespace
}  // namespace loadgate::llm
