#include "protocol/request_writer.hpp"

#include <charconv>

#include "detail/ascii.hpp"

namespace loadgate::protocol {
namespace {

bool has_header(const http_request& request, std::string_view name) {
  for (const auto& [n, v] : request.headers)
    if (detail::iequals(n, name)) return true;
  return false;
}

// A body-less POST still needs Content-Length: 0, or some servers wait for a body.
bool method_carries_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

}  // namespace

void write_request(std::string& out, const http_request& request, const request_prefix& prefix) {
  out.clear();
  out += request.method;
  out += ' ';
  out += prefix.base_path;
  if (request.path.empty() || request.path.front() != '/') out += '/';
  out += request.path;
  out += " HTTP/1.1\r\nHost: ";
  out += prefix.host_header;
  out += "\r\n";
  if (!has_header(request, "user-agent")) out += "User-Agent: loadgate\r\n";
  for (const auto& [name, value] : request.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!request.body.empty() || method_carries_body(request.method)) {
    if (!request.body.empty() && !has_header(request, "content-type")) out += "Content-Type: application/json\r\n";
    if (!has_header(request, "content-length")) {
      out += "Content-Length: ";
      append_number(out, request.body.size());
      out += "\r\n";
    }
  }
  out += "\r\n";
  out += request.body;
}

}  // namespace loadgate::protocol
