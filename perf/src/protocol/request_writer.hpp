#pragma once
// Serialises an http_request into HTTP/1.1 bytes. Written by hand into a reused string because
// it is on the hot path: no per-request allocation once the string has grown to fit.
#include <string>
#include <string_view>

#include "loadgate/task.hpp"

namespace loadgate::protocol {

// The parts of every request that come from the target, computed once per run.
struct request_prefix {
  std::string host_header;  // "host:port", the port omitted when it is the scheme's default
  std::string base_path;    // the target's path prefix, no trailing slash
};

// Replaces `out` with the request. Adds Host, Content-Length (when there is a body or the method
// usually carries one) and Content-Type: application/json for a body unless the request names one.
void write_request(std::string& out, const http_request& request, const request_prefix& prefix);

}  // namespace loadgate::protocol
