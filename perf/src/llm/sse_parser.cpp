#include "loadgate/llm/sse_parser.hpp"

namespace loadgate::llm {

bool sse_parser::feed_erased(std::string_view bytes, clock::time_point arrived, void* handler,
                             sink call) {
  if (failed_) return false;
  if (skip_lf_ && !bytes.empty()) {
    if (bytes.front() == '\n') bytes.remove_prefix(1);
    skip_lf_ = false;
  }
  while (!bytes.empty()) {
    const auto end = bytes.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      // No line end yet: keep the bytes, but never more than one event's worth.
      if (line_.size() + data_.size() + bytes.size() > max_event_size_) return fail();
      line_.append(bytes);
      return true;
    }
    // Any of "\r\n", "\n", "\r" ends a line; a "\r" at the very end may be the first half of "\r\n".
    std::size_t next = end + 1;
    if (bytes[end] == '\r') {
      if (next < bytes.size()) {
        if (bytes[next] == '\n') ++next;
      } else {
        skip_lf_ = true;
      }
    }
    // The same bound whether or not the line was split across reads, so a limit never depends
    // on where the network cut the stream.
    if (line_.size() + data_.size() + end > max_event_size_) return fail();
    if (line_.empty()) {
      take_line(bytes.substr(0, end), arrived, handler, call);
    } else {
      line_.append(bytes.substr(0, end));
      take_line(line_, arrived, handler, call);  // take_line never touches line_
      line_.clear();  // keeps the capacity for the next split line
    }
    bytes.remove_prefix(next);
  }
  return true;
}

void sse_parser::take_line(std::string_view line, clock::time_point arrived, void* handler,
                           sink call) {
  if (line.empty()) {
    // A blank line dispatches the event; an event without data lines is no event (spec).
    if (data_.empty()) return;
    data_.pop_back();  // the '\n' after the last data line
    call(handler, sse_event{data_, arrived});
    data_.clear();
    return;
  }
  if (line.front() == ':') {
    ++comments_;
    return;
  }
  const auto colon = line.find(':');
  const auto field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);  // "data: x" == "data:x"
  }
  if (field != "data") return;  // event, id, retry and unknown fields do not matter here
  data_.append(value);
  data_.push_back('\n');
}

}  // namespace loadgate::llm
