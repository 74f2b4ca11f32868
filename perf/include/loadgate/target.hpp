#pragma once
// Where the load goes: a parsed, validated http(s) URL.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loadgate {

struct target {
  std::string scheme = "http";  // http or https
  std::string host = "127.0.0.1";
  std::uint16_t port = 80;
  std::string base_path;        // prefix of every request path, without a trailing slash
  bool verify_certificates = true;  // https only; on by default
  std::string ca_file;  // https: a PEM file of CA certificates trusted beside the system's (a private CA)
  // Local addresses the connections leave from, in turn (user or slot i from address i mod n);
  // empty: the system's choice. One source address reaches one target address and port through
  // at most ~28,000 ports (the ephemeral range), so 100,000 users need four: on loopback any
  // 127.x.y.z is this machine's.
  std::vector<std::string> source_addresses;

  // Throws configuration_error naming what is wrong ("unsupported scheme 'ftp' in ..., use http or https").
  static target parse(std::string_view url);
  std::string url() const;  // scheme://host:port/base_path
  bool operator==(const target&) const = default;
};

}  // namespace loadgate
