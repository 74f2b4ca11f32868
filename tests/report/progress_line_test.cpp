#include "loadgate/progress_line.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

using namespace std::chrono_literals;
using testing::HasSubstr;

namespace {

loadgate::progress at(std::chrono::nanoseconds elapsed) {
  loadgate::progress p;
  p.elapsed = elapsed;
  p.planned = 60s;
  p.active_users = 200;
  p.requests_per_second = 1234.5;
  p.p50 = 12300us;
  p.p95 = 45600us;
  p.requests = 1000;
  p.failures = 3;
  return p;
}

}  // namespace

TEST(ProgressLine, ShowsEveryFigure) {
  const auto line = loadgate::format_progress(at(27s));
  EXPECT_THAT(line, HasSubstr("[ 45%]"));
  EXPECT_THAT(line, HasSubstr("27s/60s"));
  EXPECT_THAT(line, HasSubstr("users 200"));
  EXPECT_THAT(line, HasSubstr("1234.5 req/s"));
  EXPECT_THAT(line, HasSubstr("p50 12.3ms"));
  EXPECT_THAT(line, HasSubstr("p95 45.6ms"));
  EXPECT_THAT(line, HasSubstr("failures 3 (0.30%)"));
}

TEST(ProgressLine, RedrawsInPlaceOnATerminal) {
  std::ostringstream out;
  loadgate::progress_printer printer{out, true};
  printer.update(at(1s));
  printer.update(at(2s));
  printer.finish();
  const auto text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 2);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << "one line, ended once at the finish";
}

TEST(ProgressLine, PrintsAPlainLineEveryFewSecondsElsewhere) {
  std::ostringstream out;
  loadgate::progress_printer printer{out, false, 5s};
  for (int second = 0; second <= 12; ++second) printer.update(at(std::chrono::seconds{second}));
  printer.finish();
  const auto text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << "at 0 s, 5 s and 10 s:\n" << text;
}
