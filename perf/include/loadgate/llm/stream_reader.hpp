#pragma once
// Reads an SSE response (LoRAX /generate_stream, OpenAI stream: true) and times every content
// event from the bytes' arrival. A non-2xx response is read as an error JSON body instead.
#include <cstddef>
#include <optional>
#include <string>

#include "loadgate/llm/llm_reader.hpp"
#include "loadgate/llm/sse_parser.hpp"
#include "loadgate/llm/stream_chunk.hpp"

namespace loadgate::llm {

class stream_reader final : public llm_reader {
 public:
  explicit stream_reader(std::size_t max_event_size = sse_parser::default_max_event_size);

  void on_status(unsigned status) override;
  void on_body(std::string_view bytes, clock::time_point arrived) override;
  // Success only when the stream reached its final event or [DONE] with no error event.
  std::optional<failure_kind> finish(clock::time_point done) override;

 private:
  void on_event(const sse_event& event);
  void on_content(clock::time_point arrived);
  void merge_event_timings(const server_timing& t);

  sse_parser parser_;
  std::string error_body_;  // a non-2xx response's body, bounded
  bool complete_ = false;
  std::optional<failure_kind> failure_;
  std::optional<clock::time_point> first_content_;
  clock::time_point last_content_{};
  std::optional<std::uint64_t> server_tokens_;  // the last count the stream reported
};

}  // namespace loadgate::llm
