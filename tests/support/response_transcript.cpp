#include "support/response_transcript.hpp"

#include <boost/beast/http/basic_parser.hpp>

#include "loadgate/task.hpp"
#include "protocol/response_parser.hpp"

namespace loadgate::test_support {
namespace {

class transcript_reader final : public response_reader {
 public:
  explicit transcript_reader(response_transcript& out) : out_{out} {}
  void on_status(unsigned status) override { out_.fields += "status " + std::to_string(status) + "\n"; }
  void on_header(std::string_view name, std::string_view value) override {
    out_.fields.append(name).append(": ").append(value).append("\n");
  }
  void on_body_length(std::uint64_t bytes) override { out_.announced_length = bytes; }
  void on_body(std::string_view bytes, clock::time_point /*arrived*/) override { out_.body.append(bytes); }
  std::optional<failure_kind> finish(clock::time_point /*done*/) override { return std::nullopt; }

 private:
  response_transcript& out_;
};

namespace http = boost::beast::http;

class beast_parser final : public http::basic_parser<false> {
 public:
  explicit beast_parser(response_transcript& out) : out_{out} {
    body_limit(boost::none);
    eager(true);
  }
  bool informational() const { return informational_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(http::verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    informational_ = code >= 100 && code < 200 && code != 101;
    if (!informational_) out_.fields += "status " + std::to_string(code) + "\n";
  }
  void on_field_impl(http::field, string_view name, string_view value, error_code&) override {
    if (!informational_) out_.fields.append(name).append(": ").append(value).append("\n");
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length && !informational_) out_.announced_length = *length;
  }
  std::size_t on_body_impl(string_view body, error_code&) override {
    out_.body.append(body);
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    out_.body.append(body);
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  response_transcript& out_;
  bool informational_ = false;
};

}  // namespace

response_transcript parse_in_pieces(std::string_view response, const std::vector<std::size_t>& cuts, bool head,
                                    bool then_close) {
  response_transcript out;
  transcript_reader reader{out};
  protocol::response_parser parser{reader, head};
  std::string unused;
  std::size_t from = 0;
  auto ends = cuts;
  ends.push_back(response.size());
  for (const std::size_t end : ends) {
    if (end <= from || end > response.size()) continue;
    unused.append(response.substr(from, end - from));
    from = end;
    unused.erase(0, parser.put(unused, clock::now()));
    if (parser.done() || parser.malformed()) break;
  }
  if (then_close && !parser.done() && !parser.malformed()) parser.put_eof();
  out.end = parser.done()        ? response_transcript::ending::done
            : parser.malformed() ? response_transcript::ending::malformed
                                 : response_transcript::ending::incomplete;
  out.keep_alive = parser.done() && parser.keep_alive();
  out.left_over = parser.done() ? unused.size() + (response.size() - from) : 0;
  return out;
}

response_transcript parse_with_beast(std::string_view response, bool head, bool then_close) {
  response_transcript out;
  std::optional<beast_parser> parser;
  parser.emplace(out);
  parser->skip(head);
  while (!response.empty()) {
    boost::beast::error_code ec;
    response.remove_prefix(parser->put(boost::asio::buffer(response.data(), response.size()), ec));
    if (ec == http::error::need_more) break;
    if (ec) {
      out.end = response_transcript::ending::malformed;
      return out;
    }
    if (parser->is_done()) {
      if (!parser->informational()) break;
      parser.emplace(out);
      parser->skip(head);
    }
  }
  if (!parser->is_done() && then_close && parser->got_some() && parser->need_eof()) {
    boost::beast::error_code ec;
    parser->put_eof(ec);
    if (ec) {
      out.end = response_transcript::ending::malformed;
      return out;
    }
  }
  if (parser->is_done()) {
    out.end = response_transcript::ending::done;
    out.keep_alive = parser->keep_alive();
    out.left_over = response.size();
  }
  return out;
}

std::string to_string(response_transcript::ending end) {
  switch (end) {
    case response_transcript::ending::done: return "done";
    case response_transcript::ending::malformed: return "malformed";
    case response_transcript::ending::incomplete: return "incomplete";
  }
  return "?";
}

}  // namespace loadgate::test_support
