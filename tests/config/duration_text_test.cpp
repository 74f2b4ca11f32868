#include "loadgate/duration_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"

using namespace std::chrono_literals;
using loadgate::parse_duration;

TEST(DurationText, ReadsEveryUnit) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("1.5m"), 90s);
  EXPECT_EQ(parse_duration("2h"), 2h);
  EXPECT_EQ(parse_duration("500us"), 500us);
  EXPECT_EQ(parse_duration("7ns"), 7ns);
  EXPECT_EQ(parse_duration("0s"), 0s);
}

TEST(DurationText, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "30", "s", "ten s", "-5s", "5 s", "5sec", "1e999s"}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const loadgate::configuration_error& e) {
      EXPECT_THAT(e.what(), testing::HasSubstr("is not a duration")) << bad;
      EXPECT_THAT(e.what(), testing::HasSubstr("250ms, 30s")) << "the message shows how to write one";
    }
  }
}

TEST(DurationText, FormatsForPeople) {
  EXPECT_EQ(loadgate::format_duration(250ms), "250ms");
  EXPECT_EQ(loadgate::format_duration(1500ms), "1.5s");
  EXPECT_EQ(loadgate::format_duration(2min), "2m");
  EXPECT_EQ(loadgate::format_duration(1h), "1h");
  EXPECT_EQ(parse_duration(loadgate::format_duration(42ms)), 42ms);
}
