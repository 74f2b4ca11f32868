#include "loadgate/llm/prompt_source.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

std::size_t words(const std::string& text) {
  std::istringstream in{text};
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

TEST(LengthDistribution, FixedUniformAndClippedNormal) {
  loadgate::random_engine rng{3};
  const auto fixed = length_distribution::fixed(64);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(fixed.next(rng), 64u);

  // S-LoRA's uniform [8, 512]: every value in range, mean and variance of the discrete uniform.
  const auto uniform = length_distribution::uniform(8, 512);
  double sum = 0, sum2 = 0;
  unsigned low = 1000, high = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const double x = uniform.next(rng);
    sum += x;
    sum2 += x * x;
    low = std::min(low, static_cast<unsigned>(x));
    high = std::max(high, static_cast<unsigned>(x));
  }
  EXPECT_EQ(low, 8u);
  EXPECT_EQ(high, 512u);
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  const double expected_sd = std::sqrt((505.0 * 505.0 - 1) / 12);
  EXPECT_NEAR(mean, 260, 1.5);  // 5 standard errors: σ/√n = 145.8/447 = 0.33
  EXPECT_NEAR(sd, expected_sd, 1.0);

  const auto normal = length_distribution::clipped_normal(100, 20, 50, 150);
  sum = sum2 = 0;
  int clipped_low = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned x = normal.next(rng);
    ASSERT_GE(x, 50u);
    ASSERT_LE(x, 150u);
    clipped_low += x == 50;
    sum += x;
    sum2 += double(x) * x;
  }
  EXPECT_NEAR(sum / n, 100, 0.25);  // σ/√n = 0.045; the clipping is symmetric
  EXPECT_NEAR(std::sqrt(sum2 / n - (sum / n) * (sum / n)), 20, 0.3);  // 2.5 σ clips ~1 %: sd ≈ 19.7
  // P(X <= 50.5) = Φ(−2.475) ≈ 0.00666.
  EXPECT_NEAR(static_cast<double>(clipped_low) / n, 0.00666, 0.001);
}

TEST(LengthDistribution, InvalidRangesAreConfigurationErrors) {
  EXPECT_THROW(length_distribution::fixed(0), configuration_error);
  EXPECT_THROW(length_distribution::uniform(10, 5), configuration_error);
  EXPECT_THROW(length_distribution::clipped_normal(10, -1, 1, 20), configuration_error);
}

TEST(LengthDistribution, JsonRoundTrip) {
  for (const auto& d : {length_distribution::fixed(7), length_distribution::uniform(8, 512),
                        length_distribution::clipped_normal(256, 64, 8, 512)})
    EXPECT_EQ(nlohmann::json(d).get<length_distribution>(), d);
  EXPECT_THROW(nlohmann::json({{"type", "gamma"}}).get<length_distribution>(), configuration_error);
}

TEST(PromptSource, SyntheticPromptsHaveTheDrawnNumberOfWords) {
  const auto source = prompt_source::synthetic(length_distribution::uniform(8, 16), length_distribution::fixed(32));
  loadgate::random_engine rng{5};
  std::map<std::size_t, int> lengths;
  for (int i = 0; i < 2000; ++i) {
    const auto p = source.next(rng);
    ++lengths[words(p.text)];
    EXPECT_EQ(p.max_new_tokens, 32u);
    EXPECT_EQ(p.text.find("  "), std::string::npos);
  }
  EXPECT_EQ(lengths.begin()->first, 8u);
  EXPECT_EQ(lengths.rbegin()->first, 16u);
  EXPECT_EQ(lengths.size(), 9u);
  // The length and the words follow the rng: the same seed, the same prompt.
  loadgate::random_engine a{1}, b{1};
  EXPECT_EQ(source.next(a).text, source.next(b).text);
}

TEST(PromptSource, DefaultIs128WordsAndLeavesTheOutputLengthToTheRequest) {
  loadgate::random_engine rng{5};
  const auto p = prompt_source{}.next(rng);
  EXPECT_EQ(words(p.text), 128u);
  EXPECT_FALSE(p.max_new_tokens);
}

TEST(PromptSource, JsonlFile) {
  const auto source = prompt_source::from_jsonl_text(
      "{\"prompt\": \"Summarise: the cat sat\", \"max_new_tokens\": 12}\n\n{\"prompt\": \"Translate \\\"hi\\\"\"}\r\n",
      "prompts.jsonl");
  EXPECT_EQ(source.size(), 2u);
  loadgate::random_engine rng{9};
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto p = source.next(rng);
    seen.insert(p.text);
    if (p.text.starts_with("Summarise")) EXPECT_EQ(p.max_new_tokens, 12u);
    else EXPECT_FALSE(p.max_new_tokens);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"Summarise: the cat sat", "Translate \"hi\""}));
}

TEST(PromptSource, JsonlErrorsNameTheLine) {
  const auto message_of = [](std::string_view text) {
    try {
      prompt_source::from_jsonl_text(text, "p.jsonl");
    } catch (const configuration_error& e) {
      return std::string{e.what()};
    }
    return std::string{"no error"};
  };
  EXPECT_NE(message_of("{\"prompt\": \"a\"}\n{\"text\": \"b\"}\n").find("p.jsonl:2: unknown key \"text\""), std::string::npos);
  EXPECT_NE(message_of("{\"prompt\": 5}").find("p.jsonl:1: \"prompt\" must be a string"), std::string::npos);
  EXPECT_NE(message_of("{\"prompt\": \"a\", \"max_new_tokens\": 0}").find("p.jsonl:1: \"max_new_tokens\""), std::string::npos);
  EXPECT_NE(message_of("not json").find("p.jsonl:1: not a JSON object"), std::string::npos);
  EXPECT_NE(message_of("\n\n").find("no prompts"), std::string::npos);
  EXPECT_THROW(prompt_source::jsonl("/nonexistent.jsonl"), configuration_error);
}

}  // namespace
}  // namespace loadgate::llm
