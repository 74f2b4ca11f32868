#include "cli/target_flags.hpp"

#include "loadgate/error.hpp"

namespace loadgate::cli {

void add_target_flags(CLI::App& command, target_flags& flags) {
  command.add_option("url", flags.url, "Target, e.g. http://127.0.0.1:8080 (https verifies certificates)")->required();
  command.add_flag("--insecure", flags.insecure,
                   "https: do not verify the server's certificate (the result and its reports say so)");
  command.add_option("--ca-file", flags.ca_file, "https: trust the CA certificates of this PEM file too (a private CA)")
      ->check(CLI::ExistingFile);
  command
      .add_option("--source-address", flags.source_addresses,
                  "Local address the connections leave from, in turn (repeat it or give a comma-separated list); "
                  "one address reaches a target through ~28,000 ports, so give several past that, e.g. "
                  "127.0.0.2,127.0.0.3 on loopback")
      ->delimiter(',');
}

target parse_target(const target_flags& flags) {
  target t = target::parse(flags.url);
  if (t.scheme != "https" && (flags.insecure || !flags.ca_file.empty()))
    throw configuration_error{std::string{flags.insecure ? "--insecure" : "--ca-file"} + " applies to https targets; " +
                              flags.url + " is " + t.scheme};
  t.verify_certificates = !flags.insecure;
  t.ca_file = flags.ca_file;
  t.source_addresses = flags.source_addresses;
  return t;
}

}  // namespace loadgate::cli
