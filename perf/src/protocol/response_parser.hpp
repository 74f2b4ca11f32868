#pragma once
// A Beast parser that keeps nothing: the status, each header and each piece of body go straight
// to the task's response_reader, the body stamped with the time its bytes left the socket.
// Nothing is allocated per response, and a streaming reader sees every chunk when it arrives.
#include <boost/beast/http/basic_parser.hpp>

#include "loadgate/task.hpp"

namespace loadgate::protocol {

class response_parser final : public boost::beast::http::basic_parser<false> {
 public:
  explicit response_parser(response_reader& reader) : reader_{reader} {
    body_limit(boost::none);  // bodies are streamed to the reader, never held
    eager(true);              // go on into the body in the same put()
  }

  void set_arrival(clock::time_point arrived) { arrived_ = arrived; }
  // A 100 Continue or 103 Early Hints came first; the real response follows on the same bytes.
  bool informational() const { return informational_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    informational_ = code >= 100 && code < 200 && code != 101;
    if (!informational_) reader_.on_status(static_cast<unsigned>(code));
  }
  void on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code&) override {
    if (!informational_) reader_.on_header(name, value);
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && !informational_) reader_.on_body_length(*length);
  }
  std::size_t on_body_impl(string_view body, error_code&) override {
    reader_.on_body(body, arrived_);
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    reader_.on_body(body, arrived_);
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  response_reader& reader_;
  clock::time_point arrived_{};
  bool informational_ = false;
};

}  // namespace loadgate::protocol
