#pragma once
// An incremental Server-Sent Events parser (WHATWG "event stream interpretation"): bytes in,
// complete events out, whatever the read boundaries. Only the `data` field matters for LLM
// streams; `event`, `id`, `retry` and unknown fields are accepted and ignored.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "loadgate/task.hpp"

namespace loadgate::llm {

struct sse_event {
  std::string_view data;      // the data lines joined with '\n'; valid only during the callback
  clock::time_point arrived;  // when the chunk that completed the event was read from the socket
};

class sse_parser {
 public:
  static constexpr std::size_t default_max_event_size = 1 << 20;  // 1 MiB

  // An event larger than max_event_size (its data so far plus the raw line being read) is a
  // protocol error: the parser stops, so a broken server cannot make the harness grow without bound.
  explicit sse_parser(std::size_t max_event_size = default_max_event_size)
      : max_event_size_{max_event_size} {}

  // Parses `bytes` and calls on_event(const sse_event&) for each event it completes. Returns
  // false once the stream has broken a limit; later calls do nothing and return false.
  template <class Handler>
  bool feed(std::string_view bytes, clock::time_point arrived, Handler&& on_event) {
    using handler_type = std::remove_reference_t<Handler>;
    // const_cast: the pointer only travels through void*; it is used with its own constness.
    void* erased = const_cast<void*>(static_cast<const void*>(std::addressof(on_event)));
    return feed_erased(bytes, arrived, erased, [](void* h, const sse_event& e) {
      (*static_cast<handler_type*>(h))(e);
    });
  }

  bool failed() const { return failed_; }
  // Bytes of an event that has not been terminated by a blank line yet. Per the specification, an
  // event cut by the end of the stream is discarded; callers use this to tell a cut stream apart.
  bool has_partial_event() const { return !line_.empty() || !data_.empty(); }
  std::size_t comments() const { return comments_; }  // keep-alive lines seen
  std::size_t max_event_size() const { return max_event_size_; }

 private:
  using sink = void (*)(void*, const sse_event&);
  bool fail() {
    failed_ = true;
    return false;
  }
  bool feed_erased(std::string_view bytes, clock::time_point arrived, void* handler, sink call);
  void take_line(std::string_view line, clock::time_point arrived, void* handler, sink call);

  std::size_t max_event_size_;
  std::string line_;   // an unterminated line carried over from the previous chunk
  std::string data_;   // the data buffer of the event being read, each line followed by '\n'
  bool skip_lf_ = false;  // the last chunk ended in '\r': a leading '\n' belongs to that line end
  bool failed_ = false;
  std::size_t comments_ = 0;
};

}  // namespace loadgate::llm
