#include "test_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace sim_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Moves every complete SSE event at the front of `pending` into `out`.
void take_events(std::string& pending, std::vector<sse_event>& out, double at_ms) {
  std::size_t end;
  while ((end = pending.find("\n\n")) != std::string::npos) {
    std::istringstream block(pending.substr(0, end));
    pending.erase(0, end + 2);
    std::string line, data;
    bool any = false;
    while (std::getline(block, line)) {
      if (line.rfind("data:", 0) != 0) continue;  // comments and other fields
      auto value = line.substr(5);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      data += (any ? "\n" : "") + value;
      any = true;
    }
    if (any) out.push_back({std::move(data), at_ms});
  }
}

asio::awaitable<void> exchange(request r, reply& out, std::chrono::milliseconds timeout) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  try {
    stream.expires_after(timeout);
    co_await stream.async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address(r.host), r.port), use_awaitable);
    http::request<http::string_body> req{http::string_to_verb(r.method), r.target, 11};
    req.set(http::field::host, r.host);
    if (!r.content_type.empty()) req.set(http::field::content_type, r.content_type);
    req.body() = r.body;
    req.prepare_payload();
    const auto t0 = std::chrono::steady_clock::now();
    co_await http::async_write(stream, req, use_awaitable);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    co_await http::async_read_header(stream, buffer, parser, use_awaitable);
    std::string pending;
    std::size_t seen = 0;
    while (!parser.is_done()) {
      co_await http::async_read_some(stream, buffer, parser, use_awaitable);
      const auto& body = parser.get().body();
      if (body.size() > seen) {
        pending.append(body, seen, std::string::npos);
        seen = body.size();
        take_events(pending, out.events, ms_since(t0));
      }
    }
    out.elapsed_ms = ms_since(t0);
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      out.headers[name] = std::string(field.value());
    }
    out.body = std::move(res.body());
    if (seen == 0) take_events(pending = out.body, out.events, out.elapsed_ms);
    out.complete = true;
  } catch (const boost::system::system_error& e) {
    out.error = e.code().message();
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace

std::string reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string{} : it->second;
}

double reply::header_number(const std::string& name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) throw std::runtime_error{"the reply has no " + name + " header"};
  std::size_t used = 0;
  const double value = std::stod(it->second, &used);
  if (used != it->second.size()) throw std::runtime_error{name + ": '" + it->second + "' is not a number"};
  return value;
}

std::vector<reply> send_concurrently(const std::vector<request>& requests,
                                     std::chrono::milliseconds timeout) {
  asio::io_context io;
  std::vector<reply> replies(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i)
    asio::co_spawn(io, exchange(requests[i], replies[i], timeout), asio::detached);
  io.run_for(timeout + std::chrono::seconds(2));  // the stream deadlines end it first
  return replies;
}

reply send(const request& r, std::chrono::milliseconds timeout) {
  return std::move(send_concurrently({r}, timeout).front());
}

reply post(std::uint16_t port, const std::string& target, const std::string& body,
           std::chrono::milliseconds timeout) {
  return send({"POST", target, body, "127.0.0.1", port}, timeout);
}

reply get(std::uint16_t port, const std::string& target, std::chrono::milliseconds timeout) {
  return send({"GET", target, "", "127.0.0.1", port}, timeout);
}

double metric_value(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 && line[name.size()] == ' ')
      return std::stod(line.substr(name.size() + 1));
  return -1.0;
}

}  // namespace sim_test
