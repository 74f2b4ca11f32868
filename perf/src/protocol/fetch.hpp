#pragma once
// One request outside any run, on a connection of its own: what the start of a run asks a target
// before the load (which server it is, from /info or /v1/models). Not for the hot path.
#include <string>
#include <string_view>

#include "loadgate/target.hpp"
#include "loadgate/task.hpp"

namespace loadgate::protocol {

struct fetched {
  unsigned status = 0;
  std::string body;        // at most fetch_body_limit bytes of it
  bool truncated = false;  // the body was longer: `body` is its start only
};

inline constexpr std::size_t fetch_body_limit = 1 << 20;

// GETs `path` (after the target's base path): `timeout` bounds the connect (TLS handshake
// included) and the request, each; the host's name is resolved first, as for a run. Throws
// start_error, naming the URL, when nothing answers a whole response in time.
fetched fetch(const target& t, std::string_view path, clock::duration timeout);

// GETs the URL `url` names, its path as the request's (a base path alone would be sent as
// "/metrics/"): what a run scrapes. The same deadlines and errors as fetch.
fetched fetch_url(const target& url, clock::duration timeout);

}  // namespace loadgate::protocol
