// What an LLM server sends back, arbitrary: one stream event's data (classify_chunk), a whole
// non-streaming body under any status (the non-streaming reader), and an error body. None may
// throw or crash, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "llm/error_body.hpp"
#include "loadgate/llm/non_streaming_reader.hpp"
#include "loadgate/llm/stream_chunk.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the status: 2xx, 4xx (incl. 422, 424, 429) or 5xx.
  constexpr unsigned statuses[] = {200, 201, 400, 404, 422, 424, 429, 500, 503};
  const unsigned status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  const std::string_view body{reinterpret_cast<const char*>(data) + 1, size - 1};

  (void)loadgate::llm::classify_chunk(body);

  loadgate::llm::non_streaming_reader reader{1 << 16};
  reader.on_status(status);
  if (data[0] & 0x80) reader.on_body_length(body.size());  // as a Content-Length announces it
  reader.on_body(body, loadgate::clock::now());
  (void)reader.finish(loadgate::clock::now());

  loadgate::llm::error_body found;
  (void)loadgate::llm::classify_error_response(status, body, found);
  return 0;
}
