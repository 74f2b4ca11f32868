#pragma once
// An HTTP/1.1 response parser that keeps nothing: the status, each field and each piece of body
// go straight to the task's response_reader, the body stamped with the time its bytes arrived.
// Nothing is allocated per response (a folded field aside), and a streaming reader sees every
// chunk when it arrives.
//
// Written for the client's hot path instead of Beast's basic_parser, which spent ~4,700
// instructions on a small response's header (44 % of loadgate's per request, measured with
// perf/bench/instructions.sh): each line is taken once, as soon as it is whole, and a field's
// name is compared only when its length matches one of the three that decide the framing.
//
// Framing follows RFC 9112 section 6.3: HEAD, 1xx, 204 and 304 have no body; Transfer-Encoding
// ending in chunked is chunked, and overrides Content-Length; any other Transfer-Encoding, or
// neither field, runs to the connection's close. Informational responses (100, 102, 103) are
// skipped, their fields unreported, and parsing goes on with the real response in the same bytes.
// Lines may end in CRLF or a bare LF (section 2.2 lets a recipient accept one); folded fields
// (obs-fold) are joined with a space (section 5.2). A field value may not hold NUL or a bare CR
// (RFC 9110 section 5.5 has a recipient reject those); other control characters are kept. A
// field name is whatever visible ASCII comes before the colon: a client only passes on a name
// it does not know, so it does not check RFC 9110's token characters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loadgate/task.hpp"

namespace loadgate::protocol {

class response_parser {
 public:
  static constexpr std::size_t header_limit = 64 * 1024;     // status line and fields, together
  static constexpr std::size_t chunk_line_limit = 4 * 1024;  // a chunk's size line with extensions
  static constexpr std::size_t trailer_limit = 64 * 1024;

  // `head`: the request was HEAD, so whatever the fields say, no body follows.
  response_parser(response_reader& reader, bool head) : reader_{reader}, head_{head} {}

  // Parses as much of `bytes` as it can and returns how many it used. The bytes it did not use
  // (a line not yet whole, or whatever follows the response) must come again at the front of the
  // next call, with more after them. `arrived` stamps the body bytes given to the reader.
  std::size_t put(std::string_view bytes, clock::time_point arrived);
  // The server closed the connection: the end of a body that runs to the close. Anywhere else
  // the response is incomplete, and malformed() says so.
  void put_eof();

  bool done() const { return state_ == state::done; }
  bool malformed() const { return state_ == state::malformed; }
  // Why the response is malformed, for people ("the Content-Length is not one decimal number");
  // empty while it is not.
  std::string_view error() const { return error_; }
  // The body runs until the server closes the connection (put_eof ends it).
  bool ends_at_close() const { return state_ == state::body_to_close; }
  // After done(): the connection may carry the next request.
  bool keep_alive() const { return keep_alive_; }

 private:
  enum class state : std::uint8_t {
    status_line,
    fields,         // of the header, up to its empty line
    body_sized,     // Content-Length: body_left_ bytes to go
    body_to_close,  // until the connection closes
    chunk_size,     // a chunk's size line
    chunk_data,     // body_left_ bytes of the chunk to go
    chunk_end,      // the CRLF after a chunk's data
    trailer,        // fields after the last chunk, up to an empty line
    done,
    malformed,
  };

  // What the status line and fields of the response being parsed say.
  struct framing {
    unsigned status = 0;
    bool informational = false;          // 1xx but 101: the real response follows
    bool http10 = false;
    bool connection_close = false;       // Connection: close
    bool connection_keep_alive = false;  // Connection: keep-alive (an HTTP/1.0 server's opt-in)
    bool transfer_encoding = false;      // any Transfer-Encoding field
    bool chunked = false;                // and its last coding is chunked
    bool has_length = false;
    std::uint64_t content_length = 0;
  };

  // Each takes one line, or one piece of body, from the front of `bytes` and returns its size;
  // 0 when it needs more bytes (or failed).
  std::size_t put_status_line(std::string_view bytes);
  std::size_t put_field_line(std::string_view bytes);
  std::size_t put_chunked(std::string_view bytes, clock::time_point arrived);

  // After the header's empty line.
  void start_body();
  // A header field of the final response: reported, and remembered when it decides the framing.
  void take_field(std::string_view name, std::string_view value);
  // Whether `more` bytes of the header or trailer stay within its limit; a failure when not.
  bool within_limit(std::size_t more);
  // A line of the header or trailer has not all arrived: 0, or a failure past the limit.
  std::size_t wait_for_line(std::size_t waiting);
  void fail(const char* why) {
    state_ = state::malformed;
    error_ = why;
  }

  response_reader& reader_;
  const bool head_;
  state state_ = state::status_line;
  bool keep_alive_ = false;
  framing response_;
  std::uint64_t body_left_ = 0;
  std::size_t block_bytes_ = 0;  // of the header or trailer so far, against its limit
  std::string folded_;           // a field value whose lines were folded, joined
  const char* error_ = "";
};

}  // namespace loadgate::protocol
