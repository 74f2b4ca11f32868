// The SSE parser and the stream reader on arbitrary bytes. Besides not crashing, the parser must
// not depend on where the reads split the stream: the same bytes fed whole, one byte at a time
// and at the cuts the input chooses give the same events and the same verdict.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "loadgate/llm/sse_parser.hpp"
#include "loadgate/llm/stream_reader.hpp"

namespace {

using loadgate::llm::sse_event;
using loadgate::llm::sse_parser;

// A small limit, so that the event-size check is reached often.
constexpr std::size_t max_event = 512;

struct parsed {
  std::vector<std::string> events;
  bool failed = false;
  bool partial = false;
  bool operator==(const parsed&) const = default;
};

// Feeds `bytes` in pieces of the lengths `cut` gives, in turn.
template <class Cut>
parsed parse_in_pieces(std::string_view bytes, Cut&& cut) {
  sse_parser parser{max_event};
  parsed out;
  const auto at = loadgate::clock::now();
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = std::min(bytes.size() - i, std::max<std::size_t>(1, cut()));
    parser.feed(bytes.substr(i, n), at, [&](const sse_event& e) { out.events.emplace_back(e.data); });
    i += n;
  }
  out.failed = parser.failed();
  out.partial = !out.failed && parser.has_partial_event();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view cuts{reinterpret_cast<const char*>(data), std::min<std::size_t>(size, 8)};
  const std::string_view bytes{reinterpret_cast<const char*>(data) + 1, size - 1};

  const auto whole = parse_in_pieces(bytes, [&] { return bytes.size(); });
  const auto bytewise = parse_in_pieces(bytes, [] { return std::size_t{1}; });
  std::size_t next = 0;
  const auto chosen = parse_in_pieces(bytes, [&] { return static_cast<unsigned char>(cuts[next++ % cuts.size()]) % 17; });
  if (!(whole == bytewise) || !(whole == chosen)) throw std::logic_error{"the SSE parser depends on the read boundaries"};

  // The whole reader: a 200 stream, then finish; any verdict is fine, a crash or a throw is not.
  loadgate::llm::stream_reader reader{max_event};
  reader.on_status(200);
  reader.on_body(bytes, loadgate::clock::now());
  (void)reader.finish(loadgate::clock::now());
  return 0;
}
