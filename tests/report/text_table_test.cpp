// The one table renderer: columns line up by display width, so "µs" counts two columns.
#include "detail/text_table.hpp"

#include <gtest/gtest.h>

namespace loadgate::detail {
namespace {

TEST(TextTable, CountsDisplayColumnsNotBytes) {
  EXPECT_EQ(display_width("850 µs"), 6u);
  EXPECT_EQ(display_width("512.3 ms"), 8u);
  EXPECT_EQ(display_width(""), 0u);
}

TEST(TextTable, ColumnsLineUpWhateverTheBytes) {
  const auto table = render_table({{"metric", "value"}, {"p95 latency", "850 µs"}, {"p99", "1200.5 ms"}});
  EXPECT_EQ(table,
            "metric           value\n"
            "p95 latency     850 µs\n"
            "p99          1200.5 ms\n");
}

TEST(TextTable, AlignmentIsPerColumnAndLinesHaveNoTrailingBlanks) {
  const auto table = render_table({{"a", "µ", "x"}, {"bbb", "cc", ""}}, {align::left, align::left, align::right});
  EXPECT_EQ(table,
            "a    µ   x\n"
            "bbb  cc\n");
}

}  // namespace
}  // namespace loadgate::detail
