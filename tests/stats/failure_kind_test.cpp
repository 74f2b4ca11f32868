#include "loadgate/failure_kind.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace loadgate {
namespace {

TEST(FailureKind, EveryKindRoundTripsThroughItsName) {
  std::set<std::string_view> names;
  for (const auto kind : all_failure_kinds) {
    names.insert(to_string(kind));
    EXPECT_EQ(failure_kind_from_string(to_string(kind)), kind) << to_string(kind);
  }
  EXPECT_EQ(names.size(), failure_kind_count);  // names are distinct
}

TEST(FailureKind, NamesAreTheDocumentedSnakeCase) {
  EXPECT_EQ(to_string(failure_kind::http_4xx), "http_4xx");
  EXPECT_EQ(to_string(failure_kind::stream_error), "stream_error");
  EXPECT_EQ(to_string(failure_kind::cancelled), "cancelled");
}

TEST(FailureKind, UnknownNamesAreRejected) {
  EXPECT_EQ(failure_kind_from_string("http_3xx"), std::nullopt);
  EXPECT_EQ(failure_kind_from_string("Timeout"), std::nullopt);
  EXPECT_EQ(failure_kind_from_string(""), std::nullopt);
}

}  // namespace
}  // namespace loadgate
