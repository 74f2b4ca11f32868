// Parsing and printing the target URL (Boost.URL does the grammar; we add the policy).
#include "loadgate/target.hpp"

#include <charconv>
#include <string>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

[[noreturn]] void reject(std::string_view url, const std::string& what) {
  throw configuration_error("invalid target URL '" + std::string(url) + "': " + what);
}

std::uint16_t parse_port(std::string_view url, std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
    reject(url, "port '" + std::string(text) + "' is not a number from 1 to 65535");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

target target::parse(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) reject(url, "not an absolute URL like http://127.0.0.1:8080 (" + parsed.error().message() + ")");
  const boost::urls::url_view& u = *parsed;

  target t;
  t.scheme = std::string(u.scheme());
  for (auto& c : t.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t.scheme != "http" && t.scheme != "https")
    reject(url, "unsupported scheme '" + std::string(u.scheme()) + "', use http or https");
  if (u.has_userinfo()) reject(url, "credentials in the URL are not supported; pass them as a task header");
  if (u.has_query() || u.has_fragment()) reject(url, "a query or fragment is not allowed; put it in the task's path");

  // host_address() drops the brackets of an IPv6 literal and decodes percent-escapes.
  t.host = u.host_address();
  if (t.host.empty()) reject(url, "the host is empty");
  t.port = u.has_port() ? parse_port(url, u.port()) : (t.scheme == "https" ? 443 : 80);

  t.base_path = std::string(u.encoded_path());
  while (!t.base_path.empty() && t.base_path.back() == '/') t.base_path.pop_back();
  return t;
}

std::string target::url() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://";
  out += ipv6 ? "[" + host + "]" : host;
  out += ":" + std::to_string(port);
  out += base_path;
  return out;
}

}  // namespace loadgate
