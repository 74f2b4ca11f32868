#pragma once
// A response parsed as the client's reads would cut it, written down as what the reader was
// told: the response parser's tests and its fuzzer compare these between cuts, and with how
// Beast's parser reads the same bytes (the parser loadgate used before its own).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadgate::test_support {

struct response_transcript {
  enum class ending { done, malformed, incomplete };

  std::string fields;  // "status 200\n", then "name: value\n" per field, as the reader got them
  std::string body;    // every body piece, joined
  std::optional<std::uint64_t> announced_length;  // what on_body_length said, before the body
  ending end = ending::incomplete;
  bool keep_alive = false;
  std::size_t left_over = 0;  // bytes after the response that the parser did not take

  bool operator==(const response_transcript&) const = default;
};

// Feeds `response` to a protocol::response_parser in pieces that end at `cuts` (increasing
// offsets), each piece given with what the parser had left unused, as a connection's read buffer
// does; then, when `then_close`, the server's close.
response_transcript parse_in_pieces(std::string_view response, const std::vector<std::size_t>& cuts, bool head,
                                    bool then_close);

// The same bytes through Beast's basic_parser, informational responses skipped as the client
// skipped them when it used Beast.
response_transcript parse_with_beast(std::string_view response, bool head, bool then_close);

std::string to_string(response_transcript::ending end);

}  // namespace loadgate::test_support
