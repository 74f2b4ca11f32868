#include "protocol/response_parser.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "detail/ascii.hpp"

namespace loadgate::protocol {
namespace {

inline std::uint64_t load_word(const char* at) {
  std::uint64_t word;
  std::memcpy(&word, at, sizeof word);
  return word;
}

constexpr std::uint64_t every_byte(unsigned char b) { return 0x0101010101010101u * b; }

// Eight bytes at a time: each sets the high bit of the bytes of `w` it is about. Borrows and
// carries can flag a byte above a flagged one, never below, so the lowest flag is exact.
inline std::uint64_t bytes_below(std::uint64_t w, unsigned char n) {  // n <= 0x80
  return (w - every_byte(n)) & ~w & every_byte(0x80);
}
inline std::uint64_t bytes_above(std::uint64_t w, unsigned char n) {  // n < 0x80; and every byte >= 0x80
  return ((w + every_byte(0x7f - n)) | w) & every_byte(0x80);
}
inline std::uint64_t bytes_equal(std::uint64_t w, char c) { return bytes_below(w ^ every_byte(static_cast<unsigned char>(c)), 1); }

// The first byte of [p, end) that `in_word` flags in a word and `is` says of a byte; `end` if none.
template <class InWord, class Is>
inline const char* find_first(const char* p, const char* end, InWord in_word, Is is) {
  if constexpr (std::endian::native == std::endian::little) {
    if (end - p >= 8) {
      for (; end - p > 8; p += 8)
        if (const auto flags = in_word(load_word(p))) return p + std::countr_zero(flags) / 8;
      // The last eight, overlapping bytes already found clean, so a flag is in the new ones.
      const char* last = end - 8;
      const auto flags = in_word(load_word(last));
      return flags ? last + std::countr_zero(flags) / 8 : end;
    }
  }
  for (; p != end; ++p)
    if (is(static_cast<unsigned char>(*p))) return p;
  return end;
}

// Where a field name ends: its colon, or the first byte that cannot be in a name (a space or a
// control, or non-ASCII). Names are not checked against RFC 9110's token characters beyond
// that: this is a client, and a name it does not know it only passes on.
inline const char* name_end(const char* p, const char* end) {
  return find_first(
      p, end, [](std::uint64_t w) { return bytes_equal(w, ':') | bytes_below(w, 0x21) | bytes_above(w, 0x7e); },
      [](unsigned char c) { return c == ':' || c <= 0x20 || c >= 0x7f; });
}

// RFC 9110 section 5.5: a field value holding NUL or CR (LF cannot, lines end there) is to be
// rejected.
inline bool holds_nul_or_cr(std::string_view s) {
  const char* end = s.data() + s.size();
  return find_first(
             s.data(), end, [](std::uint64_t w) { return bytes_below(w, 1) | bytes_equal(w, '\r'); },
             [](unsigned char c) { return c == '\0' || c == '\r'; }) != end;
}

using detail::is_blank;
using detail::trim_blanks;

// ASCII case-insensitive comparison with `lower`, which holds lower-case letters and '-' only:
// detail::iequals for the hot path, where its precondition allows a word at a time.
// Setting bit 5 (0x20) lowers a letter, and gives a letter or '-' from no other byte that can be
// in a name or a list element (0x0d, CR, would give '-'; neither holds one), so the comparison
// is exact, eight bytes at a time.
inline bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8)
    if ((load_word(s.data() + i) | every_byte(0x20)) != load_word(lower.data() + i)) return false;
  for (; i < s.size(); ++i)
    if ((s[i] | 0x20) != lower[i]) return false;
  return true;
}

// Calls `each` with every element of a comma-separated list, trimmed; empty elements are skipped
// (RFC 9110 section 5.6.1).
template <class Each>
void for_each_element(std::string_view list, Each each) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto element = trim_blanks(list.substr(0, comma));
    if (!element.empty()) each(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// The line at the front of `bytes` without its CRLF or LF, and the bytes it takes with its end.
struct line_at_front {
  std::string_view text;
  std::size_t size = 0;  // 0: the line's end has not arrived
};

inline line_at_front take_line(std::string_view bytes) {
  const auto* lf = static_cast<const char*>(std::memchr(bytes.data(), '\n', bytes.size()));
  if (lf == nullptr) return {};
  const auto size = static_cast<std::size_t>(lf - bytes.data());
  const bool crlf = size > 0 && lf[-1] == '\r';
  return {{bytes.data(), size - crlf}, size + 1};
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_decimal(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9' || value > (std::uint64_t{1} << 59)) return false;  // far past any body
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

}  // namespace

std::size_t response_parser::put(std::string_view bytes, clock::time_point arrived) {
  std::size_t used = 0;
  while (used < bytes.size()) {
    const std::string_view rest{bytes.data() + used, bytes.size() - used};
    std::size_t step = 0;
    switch (state_) {
      case state::status_line:
        step = put_status_line(rest);
        break;
      case state::fields:
      case state::trailer:
        step = put_field_line(rest);
        break;
      case state::body_sized: {
        const auto piece = rest.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, rest.size())));
        reader_.on_body(piece, arrived);
        body_left_ -= piece.size();
        if (body_left_ == 0) state_ = state::done;
        step = piece.size();
        break;
      }
      case state::body_to_close:
        reader_.on_body(rest, arrived);
        step = rest.size();
        break;
      case state::chunk_size:
      case state::chunk_data:
      case state::chunk_end:
        step = put_chunked(rest, arrived);
        break;
      case state::done:
      case state::malformed:
        break;
    }
    if (step == 0) break;
    used += step;
  }
  return used;
}

void response_parser::put_eof() {
  if (state_ == state::body_to_close) state_ = state::done;
  else if (state_ != state::done && state_ != state::malformed)
    fail("the server closed the connection before the response was complete");
}

bool response_parser::within_limit(std::size_t more) {
  static_assert(header_limit == 64 * 1024 && trailer_limit == 64 * 1024, "the messages below say 64 KiB");
  const bool header = state_ == state::status_line || state_ == state::fields;
  if (block_bytes_ + more <= (header ? header_limit : trailer_limit)) return true;
  fail(header ? "the response header is larger than 64 KiB" : "the trailer is larger than 64 KiB");
  return false;
}

std::size_t response_parser::wait_for_line(std::size_t waiting) {
  (void)within_limit(waiting);
  return 0;
}

std::size_t response_parser::put_status_line(std::string_view bytes) {
  const auto line = take_line(bytes);
  if (line.size == 0) return wait_for_line(bytes.size());
  // HTTP/1.x SP 3DIGIT [SP reason-phrase]
  const auto text = line.text;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() < 12 || text.substr(0, 7) != "HTTP/1." || !is_digit(text[7]) || text[8] != ' ' || text[9] < '1' ||
      text[9] > '9' || !is_digit(text[10]) || !is_digit(text[11]) || (text.size() > 12 && text[12] != ' ') ||
      holds_nul_or_cr(text)) {
    fail("the status line is not HTTP/1.x followed by a three-digit status");
    return 0;
  }
  if (!within_limit(line.size)) return 0;
  response_ = {};
  response_.http10 = text[7] == '0';
  response_.status = static_cast<unsigned>((text[9] - '0') * 100 + (text[10] - '0') * 10 + (text[11] - '0'));
  response_.informational = response_.status < 200 && response_.status != 101;
  if (!response_.informational) reader_.on_status(response_.status);
  block_bytes_ = line.size;
  state_ = state::fields;
  return line.size;
}

std::size_t response_parser::put_field_line(std::string_view bytes) {
  const auto line = take_line(bytes);
  if (line.size == 0) return wait_for_line(bytes.size());
  if (line.text.empty()) {  // the empty line that ends the header or trailer
    if (!within_limit(line.size)) return 0;
    block_bytes_ = 0;
    if (state_ == state::trailer) state_ = state::done;
    else if (response_.informational) state_ = state::status_line;  // the real response follows
    else start_body();
    return line.size;
  }
  const char* const text = line.text.data();
  const char* const text_end = text + line.text.size();
  const char* const colon = name_end(text, text_end);
  if (colon == text || colon == text_end || *colon != ':') {
    fail(is_blank(*text) ? "a field line starts with whitespace" : "a field line is not a name, a colon and a value");
    return 0;
  }
  const std::string_view name{text, static_cast<std::size_t>(colon - text)};
  auto value = trim_blanks({colon + 1, static_cast<std::size_t>(text_end - colon - 1)});
  // Whether the next line continues this one (obs-fold) shows in its first byte.
  std::size_t size = line.size;
  if (size == bytes.size()) return wait_for_line(bytes.size());
  if (is_blank(bytes[size])) {
    folded_.assign(value);
    while (size < bytes.size() && is_blank(bytes[size])) {
      const auto more = take_line(bytes.substr(size));
      if (more.size == 0) return wait_for_line(bytes.size());
      size += more.size;
      const auto piece = trim_blanks(more.text);
      if (piece.empty()) continue;
      if (!folded_.empty()) folded_ += ' ';
      folded_ += piece;
    }
    if (size == bytes.size()) return wait_for_line(bytes.size());
    value = folded_;
  }
  if (holds_nul_or_cr(value)) {
    fail("a field's value holds NUL or a bare CR");
    return 0;
  }
  if (!within_limit(size)) return 0;
  block_bytes_ += size;
  if (state_ == state::trailer) {
    // Trailer fields reach the reader as fields (as Beast's parser gave them). The framing is
    // over, but a close announced here is honoured too: closing is always safe.
    reader_.on_header(name, value);
    if (equals_lower(name, "connection"))
      for_each_element(value, [this](std::string_view option) {
        if (equals_lower(option, "close")) keep_alive_ = false;
      });
  } else if (!response_.informational) {
    take_field(name, value);
  }
  return state_ == state::malformed ? 0 : size;
}

void response_parser::take_field(std::string_view name, std::string_view value) {
  reader_.on_header(name, value);
  // Only the lengths of the three names that decide the framing need a closer look.
  switch (name.size()) {
    case 10:
      if (equals_lower(name, "connection"))
        for_each_element(value, [this](std::string_view option) {
          if (equals_lower(option, "close")) response_.connection_close = true;
          else if (equals_lower(option, "keep-alive")) response_.connection_keep_alive = true;
        });
      break;
    case 14:
      if (equals_lower(name, "content-length")) {
        // A list of equal values is one length (RFC 9110 section 8.6); anything else is an error.
        bool valid = true;
        std::size_t values = 0;
        for_each_element(value, [&](std::string_view text) {
          std::uint64_t length = 0;
          if (!parse_decimal(text, length) || (response_.has_length && length != response_.content_length))
            valid = false;
          response_.has_length = true;
          response_.content_length = length;
          ++values;
        });
        if (!valid || values == 0) fail("the Content-Length is not one decimal number");
      }
      break;
    case 17:
      if (equals_lower(name, "transfer-encoding")) {
        response_.transfer_encoding = true;
        for_each_element(value, [this](std::string_view coding) { response_.chunked = equals_lower(coding, "chunked"); });
      }
      break;
    default:
      break;
  }
}

void response_parser::start_body() {
  keep_alive_ = response_.http10 ? response_.connection_keep_alive && !response_.connection_close
                                 : !response_.connection_close;
  // Transfer-Encoding in HTTP/1.0, or beside a Content-Length, is framing the RFC calls faulty
  // (RFC 9112 sections 6.1 and 6.3): read as it says, but not trusted with the next request.
  if (response_.transfer_encoding && (response_.http10 || response_.has_length)) keep_alive_ = false;
  const auto status = response_.status;
  if (status == 101) keep_alive_ = false;  // the server switched protocols; this client speaks none other
  if (head_ || status == 101 || status == 204 || status == 304) {
    state_ = state::done;
  } else if (response_.transfer_encoding) {
    // Without chunked last, a response's body runs to the close (RFC 9112 section 6.3, rule 4).
    state_ = response_.chunked ? state::chunk_size : state::body_to_close;
  } else if (response_.has_length) {
    body_left_ = response_.content_length;
    state_ = body_left_ > 0 ? state::body_sized : state::done;
    if (body_left_ > 0) reader_.on_body_length(body_left_);  // before the first byte; an empty body has none
  } else {
    state_ = state::body_to_close;
  }
  if (state_ == state::body_to_close) keep_alive_ = false;
}

std::size_t response_parser::put_chunked(std::string_view bytes, clock::time_point arrived) {
  switch (state_) {
    case state::chunk_size: {
      // chunk-size [BWS ; chunk-ext] CRLF; extensions are read past, unused.
      static_assert(chunk_line_limit == 4 * 1024, "the message below says 4 KiB");
      const auto line = take_line(bytes);
      if ((line.size == 0 ? bytes.size() : line.size) > chunk_line_limit) {
        fail("a chunk's size line is longer than 4 KiB");
        return 0;
      }
      if (line.size == 0) return 0;
      std::uint64_t size = 0;
      std::size_t digits = 0;
      for (; digits < line.text.size() && hex_digit(line.text[digits]) >= 0; ++digits) {
        if (size >> 59) {
          fail("a chunk's size is too large");
          return 0;
        }
        size = size * 16 + static_cast<unsigned>(hex_digit(line.text[digits]));
      }
      auto after = line.text.substr(digits);
      while (!after.empty() && is_blank(after.front())) after.remove_prefix(1);
      if (digits == 0 || (!after.empty() && after.front() != ';') || holds_nul_or_cr(after)) {
        fail("a chunk's size line is not a hexadecimal size");
        return 0;
      }
      body_left_ = size;
      state_ = size > 0 ? state::chunk_data : state::trailer;
      return line.size;
    }
    case state::chunk_data: {
      const auto piece = bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, bytes.size())));
      reader_.on_body(piece, arrived);
      body_left_ -= piece.size();
      if (body_left_ == 0) state_ = state::chunk_end;
      return piece.size();
    }
    case state::chunk_end:
      if (bytes.front() == '\n') {
        state_ = state::chunk_size;
        return 1;
      }
      if (bytes.front() != '\r' || (bytes.size() > 1 && bytes[1] != '\n')) {
        fail("a chunk's data is longer than its size");
        return 0;
      }
      if (bytes.size() < 2) return 0;
      state_ = state::chunk_size;
      return 2;
    default:
      return 0;
  }
}

}  // namespace loadgate::protocol
