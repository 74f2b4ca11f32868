#include "pseudo_text.hpp"

#include <gtest/gtest.h>

namespace lorax_sim {

TEST(PseudoText, CountsWhitespaceSeparatedWords) {
  EXPECT_EQ(count_tokens(""), 0);
  EXPECT_EQ(count_tokens("   \n\t "), 0);
  EXPECT_EQ(count_tokens("one"), 1);
  EXPECT_EQ(count_tokens("  one two\tthree\nfour  "), 4);
}

TEST(PseudoText, TokensAreDeterministicAndOneWordEach) {
  for (int i = 0; i < 100; ++i) {
    const auto a = token_at(42, i);
    const auto b = token_at(42, i);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.text, b.text);
    EXPECT_LE(a.logprob, 0.0);
    EXPECT_EQ(count_tokens(a.text), 1) << a.text;
  }
}

TEST(PseudoText, SeedDependsOnPromptAdapterAndServerSeed) {
  const auto s = generation_seed(1, "hello", "a");
  EXPECT_EQ(s, generation_seed(1, "hello", "a"));
  EXPECT_NE(s, generation_seed(2, "hello", "a"));
  EXPECT_NE(s, generation_seed(1, "hello!", "a"));
  EXPECT_NE(s, generation_seed(1, "hello", "b"));
}

}  // namespace lorax_sim
