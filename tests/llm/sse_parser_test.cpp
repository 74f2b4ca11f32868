#include "loadgate/llm/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "recorded_streams.hpp"

namespace loadgate::llm {
namespace {

using namespace std::chrono_literals;

struct seen {
  std::string data;
  clock::time_point arrived;
  bool operator==(const seen&) const = default;
};

clock::time_point at(int tick) { return clock::time_point{} + std::chrono::milliseconds{tick}; }

// Feeds `chunks`, chunk i arriving at tick i + 1.
std::vector<seen> parse(const std::vector<std::string_view>& chunks, sse_parser& parser) {
  std::vector<seen> events;
  int tick = 0;
  for (const auto chunk : chunks) {
    ++tick;
    parser.feed(chunk, at(tick), [&](const sse_event& e) { events.push_back({std::string{e.data}, e.arrived}); });
  }
  return events;
}

std::vector<seen> parse(const std::vector<std::string_view>& chunks) {
  sse_parser parser;
  return parse(chunks, parser);
}

std::vector<std::string> data_of(const std::vector<seen>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.data);
  return out;
}

// One byte per chunk, arriving at tick = index + 1: tells which byte completes each event.
std::vector<seen> parse_bytewise(std::string_view stream) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < stream.size(); ++i) chunks.push_back(stream.substr(i, 1));
  return parse(chunks);
}

// Splitting the stream in two at every position gives the same events; each one arrives with the
// chunk that holds the byte completing it.
void expect_split_invariant(std::string_view stream) {
  const auto whole = parse({stream});
  const auto bytewise = parse_bytewise(stream);
  ASSERT_EQ(data_of(bytewise), data_of(whole));
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    const auto events = parse({stream.substr(0, split), stream.substr(split)});
    ASSERT_EQ(data_of(events), data_of(whole)) << "split at " << split;
    for (std::size_t e = 0; e < events.size(); ++e) {
      const auto completing_byte = static_cast<std::size_t>((bytewise[e].arrived - at(1)) / 1ms);
      EXPECT_EQ(events[e].arrived, completing_byte < split ? at(1) : at(2)) << "split at " << split << ", event " << e;
    }
  }
}

TEST(SseParser, LoraxEventsWithoutSpaceAndAKeepAliveComment) {
  sse_parser parser;
  const auto events = parse({test::lorax_stream}, parser);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].data.substr(0, 9), "{\"token\":");
  EXPECT_EQ(events[2].data.back(), '}');
  EXPECT_EQ(parser.comments(), 1u);
  EXPECT_FALSE(parser.has_partial_event());
}

TEST(SseParser, DataWithAndWithoutSpaceIsTheSame) {
  EXPECT_EQ(data_of(parse({"data: [DONE]\n\n"})), data_of(parse({"data:[DONE]\n\n"})));
  // Only one space is stripped: the rest is payload.
  EXPECT_EQ(data_of(parse({"data:  x\n\n"})), std::vector<std::string>{" x"});
}

TEST(SseParser, EveryByteSplitOfLoraxStream) { expect_split_invariant(test::lorax_stream); }
TEST(SseParser, EveryByteSplitOfVllmChatStream) { expect_split_invariant(test::vllm_chat_stream); }
TEST(SseParser, EveryByteSplitOfLoraxCompletionsStream) { expect_split_invariant(test::lorax_completions_stream); }

TEST(SseParser, EveryByteSplitWithCrLfAndCrLineEnds) {
  const auto crlf = test::with_line_ends(test::vllm_chat_stream, "\r\n");
  const auto cr = test::with_line_ends(test::lorax_stream, "\r");
  expect_split_invariant(crlf);
  expect_split_invariant(cr);
  EXPECT_EQ(data_of(parse({crlf})), data_of(parse({test::vllm_chat_stream})));
  EXPECT_EQ(data_of(parse({cr})), data_of(parse({test::lorax_stream})));
}

TEST(SseParser, CrLfSplitBetweenCrAndLfIsOneLineEnd) {
  // Were the '\n' after a chunk-final '\r' taken as a second line end, the blank line would
  // dispatch "a" early and the event would lose "b".
  const auto events = parse({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a\nb");
  EXPECT_EQ(events[0].arrived, at(3));  // completed by the '\r' of the blank line
}

TEST(SseParser, MultiLineDataIsJoinedWithNewlines) {
  EXPECT_EQ(data_of(parse({"data: {\"a\":\ndata: 1}\n\n"})), std::vector<std::string>{"{\"a\":\n1}"});
}

TEST(SseParser, IgnoresEventIdRetryAndUnknownFields) {
  const auto events = parse({"event: message\nid: 7\nretry: 1000\nfoo: bar\ndata: x\n\nid: 8\n\n"});
  // The second block has no data: no event (spec).
  EXPECT_EQ(data_of(events), std::vector<std::string>{"x"});
}

TEST(SseParser, FieldWithoutColonAndEmptyData) {
  // "data" alone is a data line with an empty value; the event's data is "".
  EXPECT_EQ(data_of(parse({"data\n\n"})), std::vector<std::string>{""});
}

TEST(SseParser, CommentsAreNotEvents) {
  sse_parser parser;
  EXPECT_TRUE(parse({":\n\n: keep-alive\n\n:ping\n"}, parser).empty());
  EXPECT_EQ(parser.comments(), 3u);
}

TEST(SseParser, CutEventIsNotDispatchedButReportedAsPartial) {
  sse_parser parser;
  const auto events = parse({"data: a\n\ndata: {\"tok"}, parser);
  EXPECT_EQ(data_of(events), std::vector<std::string>{"a"});
  EXPECT_TRUE(parser.has_partial_event());

  sse_parser unterminated;
  parse({"data: a\n"}, unterminated);  // a line, but no blank line after it
  EXPECT_TRUE(unterminated.has_partial_event());
}

TEST(SseParser, EventLargerThanTheLimitIsAProtocolErrorAndStopsTheParser) {
  sse_parser parser{64};
  const std::string big = "data: " + std::string(100, 'x') + "\n\n";
  int events = 0;
  EXPECT_TRUE(parser.feed("data: ok\n\n", at(1), [&](const sse_event&) { ++events; }));
  EXPECT_FALSE(parser.feed(big, at(2), [&](const sse_event&) { ++events; }));
  EXPECT_TRUE(parser.failed());
  EXPECT_FALSE(parser.feed("data: later\n\n", at(3), [&](const sse_event&) { ++events; }));
  EXPECT_EQ(events, 1);
}

TEST(SseParser, LimitHoldsAcrossManyDataLinesAndAcrossChunks) {
  sse_parser lines{64};
  std::string many;
  for (int i = 0; i < 20; ++i) many += "data: 0123456789\n";
  EXPECT_FALSE(lines.feed(many, at(1), [](const sse_event&) {}));

  sse_parser chunks{64};
  bool ok = true;
  for (int i = 0; i < 20 && ok; ++i) ok = chunks.feed("data: 0123456789", at(1), [](const sse_event&) {});
  EXPECT_FALSE(ok);  // a line that never ends cannot grow past the limit either
}

TEST(SseParser, LimitCountsTheRawLineWhereverTheStreamIsCut) {
  const std::string_view stream = "data: 123456789\n\n";  // a 15-byte line
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    sse_parser at_limit{15};
    sse_parser below_limit{14};
    std::vector<std::string> got;
    const auto keep = [&](const sse_event& e) { got.emplace_back(e.data); };
    const bool ok = at_limit.feed(stream.substr(0, split), at(1), keep) && at_limit.feed(stream.substr(split), at(2), keep);
    EXPECT_TRUE(ok) << "split at " << split;
    EXPECT_EQ(got, std::vector<std::string>{"123456789"});
    const bool below = below_limit.feed(stream.substr(0, split), at(1), keep) && below_limit.feed(stream.substr(split), at(2), keep);
    EXPECT_FALSE(below) << "split at " << split;
  }
}

}  // namespace
}  // namespace loadgate::llm
