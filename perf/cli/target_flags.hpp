#pragma once
// The target and how to trust it, as every command that sends load takes them (run, matrix,
// capacity): URL, --insecure, --ca-file, --source-address.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "loadgate/target.hpp"

namespace loadgate::cli {

struct target_flags {
  std::string url;
  bool insecure = false;
  std::string ca_file;
  std::vector<std::string> source_addresses;
};

void add_target_flags(CLI::App& command, target_flags& flags);

// Throws configuration_error for a bad URL, or TLS flags given for an http target.
target parse_target(const target_flags& flags);

}  // namespace loadgate::cli
