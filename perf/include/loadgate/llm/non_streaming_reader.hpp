#pragma once
// Reads a whole JSON response (LoRAX /generate, OpenAI stream: false): E2E from t0 to the last
// byte, N and finish reason from `details` or `usage`, or the error JSON of a failed request.
//
// Failure kinds: the status decides (failure_from_status: 429 overloaded, other 4xx http_4xx,
// 5xx http_5xx), except that an error body saying "overloaded" (LoRAX error_type, or code 429)
// is overloaded whatever the status. LoRAX's 422 validation and 424 generation (including
// adapter load failures) are therefore http_4xx; their error_type is kept in the observation so
// reports can split them. A 2xx body that is an error JSON is stream_error (or overloaded); a 2xx
// body that is not JSON is protocol.
#include <cstddef>
#include <string>

#include "loadgate/llm/llm_reader.hpp"

namespace loadgate::llm {

class non_streaming_reader final : public llm_reader {
 public:
  static constexpr std::size_t default_max_body_size = 16u << 20;  // 16 MiB

  explicit non_streaming_reader(std::size_t max_body_size = default_max_body_size)
      : max_body_size_{max_body_size} {}

  void on_status(unsigned status) override { observation_.status = status; }
  // A length past the limit decides the verdict (protocol) before the first byte, and nothing of
  // the body is kept (it is still read off the connection); one within it is reserved in one
  // piece (growing by doubling would leave the allocator about twice the body). Without a length
  // (chunked), a body past 1 MiB gets room for the whole limit at once, for the same reason.
  void on_body_length(std::uint64_t bytes) override;
  void on_body(std::string_view bytes, clock::time_point arrived) override;
  std::optional<failure_kind> finish(clock::time_point done) override;

 private:
  std::optional<failure_kind> read_body();

  std::size_t max_body_size_;
  std::string body_;
  bool too_large_ = false;
};

}  // namespace loadgate::llm
