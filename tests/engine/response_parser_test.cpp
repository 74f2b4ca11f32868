// The client's HTTP/1.1 response parser: framing by RFC 9112 section 6.3, informational responses
// skipped, keep-alive, clear errors, the same result however reads cut the bytes, and the same
// reading as Beast's parser (which the client used before) wherever Beast accepts a response.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/response_parser.hpp"
#include "support/response_transcript.hpp"

namespace loadgate::test_support {

void PrintTo(const response_transcript& t, std::ostream* os) {
  *os << to_string(t.end) << (t.keep_alive ? " keep-alive" : " close") << " left_over=" << t.left_over << "\n"
      << t.fields << "body: " << t.body;
}

namespace {

using ending = response_transcript::ending;

response_transcript parse(std::string_view response, bool head = false, bool then_close = false) {
  return parse_in_pieces(response, {}, head, then_close);
}

// The kinds of response a target sends: nginx's static file, a LoRAX stream, a 100 Continue
// first, a chunk with extensions and a trailer, a body to the close, bare-LF lines.
const std::vector<std::string> well_formed = {
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 03 Dec 2026 17:00:00 GMT\r\n"
    "Content-Type: text/html\r\nContent-Length: 12\r\nLast-Modified: Wed, 02 Dec 2026 10:00:00 GMT\r\n"
    "Connection: keep-alive\r\nETag: \"6566-c\"\r\nAccept-Ranges: bytes\r\n\r\nhello world\n",
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
    "transfer-encoding: chunked\r\n\r\n"
    "32\r\ndata:{\"token\":{\"id\":1,\"text\":\"a\",\"logprob\":0.0}}\n\n\r\n"
    "32\r\ndata:{\"token\":{\"id\":2,\"text\":\"b\",\"logprob\":0.0}}\n\n\r\n0\r\n\r\n",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
    "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\nExpires: never\r\n\r\n",
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\noverloaded",
    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc",
    "HTTP/1.1 204 No Content\r\nX-Request-Id: 7\r\n\r\n",
    "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n",
};

// What Beast refused but RFC 9112 lets a recipient accept: bare LF line ends, folded fields.
const std::vector<std::string> lenient = {
    "HTTP/1.1 200 OK\nX-Long: one\r\n  two\r\n\tthree\nContent-Length: 1\n\nz",
    "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n",
};

TEST(ResponseParser, ReportsStatusFieldsAndBodyOfASizedResponse) {
  const auto t = parse(well_formed[0]);
  EXPECT_EQ(t.end, ending::done);
  EXPECT_TRUE(t.keep_alive);
  EXPECT_EQ(t.left_over, 0u);
  EXPECT_EQ(t.body, "hello world\n");
  EXPECT_EQ(t.announced_length, 12u) << "the reader hears the length before the body";
  EXPECT_EQ(t.fields,
            "status 200\nServer: nginx/1.22.1\nDate: Thu, 03 Dec 2026 17:00:00 GMT\nContent-Type: text/html\n"
            "Content-Length: 12\nLast-Modified: Wed, 02 Dec 2026 10:00:00 GMT\nConnection: keep-alive\n"
            "ETag: \"6566-c\"\nAccept-Ranges: bytes\n");
}

TEST(ResponseParser, EveryWayReadsCanCutAResponseGivesTheSameResult) {
  auto responses = well_formed;
  responses.insert(responses.end(), lenient.begin(), lenient.end());
  for (const auto& response : responses) {
    const bool close_delimited = response.find("overloaded") != std::string::npos;
    const auto whole = parse_in_pieces(response, {}, false, close_delimited);
    ASSERT_EQ(whole.end, ending::done) << response;
    for (std::size_t cut = 1; cut < response.size(); ++cut)
      ASSERT_EQ(parse_in_pieces(response, {cut}, false, close_delimited), whole) << "cut at " << cut << " of\n" << response;
    std::vector<std::size_t> every_byte;
    for (std::size_t cut = 1; cut < response.size(); ++cut) every_byte.push_back(cut);
    EXPECT_EQ(parse_in_pieces(response, every_byte, false, close_delimited), whole) << "byte by byte:\n" << response;
  }
}

TEST(ResponseParser, ReadsEveryResponseAsBeastsParserDid) {
  for (const auto& response : well_formed) {
    const bool close_delimited = response.find("overloaded") != std::string::npos;
    ASSERT_EQ(parse_with_beast(response, false, close_delimited).end, ending::done) << "Beast reads it whole:\n" << response;
    EXPECT_EQ(parse(response, false, close_delimited), parse_with_beast(response, false, close_delimited)) << response;
    EXPECT_EQ(parse(response, true, close_delimited), parse_with_beast(response, true, close_delimited))
        << "answering HEAD:\n" << response;
  }
}

TEST(ResponseParser, SkipsInformationalResponsesWithoutReportingThem) {
  const auto t = parse(well_formed[2]);
  EXPECT_EQ(t.end, ending::done);
  EXPECT_EQ(t.fields, "status 201\nContent-Length: 2\n");
  EXPECT_EQ(t.body, "ok");
}

TEST(ResponseParser, JoinsChunksReadsPastExtensionsAndReportsTrailerFields) {
  const auto t = parse(well_formed[3]);
  EXPECT_EQ(t.end, ending::done);
  EXPECT_TRUE(t.keep_alive);
  EXPECT_EQ(t.body, "hello");
  EXPECT_EQ(t.fields, "status 200\nTransfer-Encoding: chunked\nExpires: never\n") << "trailer fields as fields";
}

TEST(ResponseParser, ABodyWithoutLengthRunsToTheCloseAndEndsTheConnection) {
  const auto open = parse(well_formed[4]);
  EXPECT_EQ(open.end, ending::incomplete) << "nothing says the body is over until the server closes";
  const auto closed = parse(well_formed[4], false, true);
  EXPECT_EQ(closed.end, ending::done);
  EXPECT_FALSE(closed.keep_alive);
  EXPECT_EQ(closed.body, "overloaded");
  // A Transfer-Encoding that does not end in chunked is read to the close too (section 6.3, rule 4).
  const auto gzip = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabcdef", false, true);
  EXPECT_EQ(gzip.end, ending::done);
  EXPECT_EQ(gzip.body, "abcdef");
}

TEST(ResponseParser, HeadNoContentAndNotModifiedHaveNoBody) {
  const std::string sized = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  const auto head = parse(sized, true);
  EXPECT_EQ(head.end, ending::done);
  EXPECT_TRUE(head.keep_alive);
  EXPECT_EQ(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n").end, ending::done);
  EXPECT_EQ(parse(well_formed[6]).end, ending::done);
  const auto next = parse("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n");
  EXPECT_EQ(next.left_over, 17u) << "what follows a response is the next one's, not this one's";
}

TEST(ResponseParser, KeepAliveFollowsTheVersionAndTheConnectionField) {
  EXPECT_TRUE(parse(well_formed[5]).keep_alive) << "HTTP/1.0 with keep-alive";
  EXPECT_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_TRUE(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
  EXPECT_FALSE(parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n").keep_alive);
}

TEST(ResponseParser, AcceptsBareLineFeedsAndFoldedFields) {
  const auto t = parse("HTTP/1.1 200 OK\nX-Long: one\r\n  two\r\n\tthree\nContent-Length: 1\n\nz");
  EXPECT_EQ(t.end, ending::done);
  EXPECT_EQ(t.fields, "status 200\nX-Long: one two three\nContent-Length: 1\n");
  EXPECT_EQ(t.body, "z");
}

TEST(ResponseParser, MalformedResponsesSayWhatIsWrong) {
  const auto error_of = [](std::string_view response, bool then_close = false) {
    struct : response_reader {
      void on_status(unsigned) override {}
      std::optional<failure_kind> finish(clock::time_point) override { return std::nullopt; }
    } reader;
    protocol::response_parser parser{reader, false};
    (void)parser.put(response, clock::now());
    if (then_close) parser.put_eof();
    return parser.malformed() ? std::string{parser.error()} : std::string{"(not malformed)"};
  };
  EXPECT_EQ(error_of("SSH-2.0-OpenSSH_9.2\r\n\r\n"), "the status line is not HTTP/1.x followed by a three-digit status");
  EXPECT_EQ(error_of("HTTP/2 200\r\n\r\n"), "the status line is not HTTP/1.x followed by a three-digit status");
  EXPECT_EQ(error_of("HTTP/1.1 20 OK\r\n\r\n"), "the status line is not HTTP/1.x followed by a three-digit status");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"),
            "the Content-Length is not one decimal number");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n"), "the Content-Length is not one decimal number");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), "the Content-Length is not one decimal number");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"), "the Content-Length is not one decimal number");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\n"),
            "a field line is not a name, a colon and a value");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\n no-name\r\n\r\n"), "a field line starts with whitespace");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nX: a\rz\r\n\r\n"), "a field's value holds NUL or a bare CR");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            "a chunk's size line is not a hexadecimal size");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n"),
            "a chunk's size is too large");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n"),
            "a chunk's data is longer than its size");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true),
            "the server closed the connection before the response was complete");
  EXPECT_EQ(error_of("HTTP/1.1 200 OK\r\nX: " + std::string(protocol::response_parser::header_limit, 'a')),
            "the response header is larger than 64 KiB");
  EXPECT_EQ(error_of(well_formed[0]), "(not malformed)");
}

// The limits hold however the lines arrive: whole in one read, or cut at any line's end.
TEST(ResponseParser, LimitsHoldWhetherLinesComeWholeOrCut) {
  std::string header = "HTTP/1.1 200 OK\r\n";
  std::vector<std::size_t> line_ends;
  while (header.size() <= protocol::response_parser::header_limit) {
    header += "X-Filler: " + std::string(1000, 'f') + "\r\n";
    line_ends.push_back(header.size());
  }
  header += "Content-Length: 0\r\n\r\n";
  const auto whole = parse(header);
  EXPECT_EQ(whole.end, ending::malformed) << "a header past 64 KiB, in whole lines";
  EXPECT_EQ(parse_in_pieces(header, line_ends, false, false).end, ending::malformed) << "cut at every line's end";
  std::string chunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
                      std::string(protocol::response_parser::chunk_line_limit, 'e') + "\r\na\r\n0\r\n\r\n";
  EXPECT_EQ(parse(chunk).end, ending::malformed) << "a chunk size line past 4 KiB";
  std::string trailer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  while (trailer.size() < 70 * 1024) trailer += "X-T: " + std::string(1000, 't') + "\r\n";
  trailer += "\r\n";
  EXPECT_EQ(parse(trailer).end, ending::malformed) << "a trailer past 64 KiB";
}

TEST(ResponseParser, FaultyFramingIsReadButNotTrustedWithTheNextRequest) {
  // RFC 9112 sections 6.1 and 6.3: Transfer-Encoding in HTTP/1.0, or beside Content-Length.
  const auto both = parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  EXPECT_EQ(both.end, ending::done);
  EXPECT_EQ(both.body, "ok") << "Transfer-Encoding wins";
  EXPECT_FALSE(both.keep_alive);
  const auto old = parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(old.end, ending::done);
  EXPECT_FALSE(old.keep_alive);
}

TEST(ResponseParser, ALineNotYetWholeIsLeftForTheNextRead) {
  struct : response_reader {
    void on_status(unsigned) override {}
    std::optional<failure_kind> finish(clock::time_point) override { return std::nullopt; }
  } reader;
  protocol::response_parser parser{reader, false};
  const std::string_view header = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(parser.put(std::string{header} + "1a", clock::now()), header.size()) << "the size line has no end yet";
  EXPECT_FALSE(parser.done());
  EXPECT_FALSE(parser.malformed());
}

}  // namespace
}  // namespace loadgate::test_support
