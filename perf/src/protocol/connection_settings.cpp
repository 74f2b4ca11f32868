// Per-run connection set-up: name resolution and the TLS context, done once before the load.
#include "protocol/connection_settings.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "loadgate/error.hpp"
#include "loadgate/target.hpp"
#include "protocol/source_address.hpp"

namespace loadgate::protocol {
namespace {

std::vector<boost::asio::ip::tcp::endpoint> resolve(const target& t) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver{io};
  boost::system::error_code ec;
  const auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
  if (ec || results.empty())
    throw start_error("cannot resolve the target host '" + t.host + "': " + (ec ? ec.message() : "no address"));
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  return endpoints;
}

std::shared_ptr<boost::asio::ssl::context> make_tls_context(const target& t) {
  auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  boost::system::error_code ec;
  context->set_default_verify_paths(ec);
  if (ec) throw start_error("cannot load the system's trusted certificates: " + ec.message());
  if (!t.ca_file.empty()) {
    context->load_verify_file(t.ca_file, ec);
    if (ec)
      throw configuration_error("--ca-file " + t.ca_file + ": cannot read CA certificates from it (" + ec.message() +
                                "): give a PEM file, such as the CA's ca.crt");
  }
  return context;
}

std::string host_header(const target& t) {
  const bool default_port = (t.scheme == "http" && t.port == 80) || (t.scheme == "https" && t.port == 443);
  std::string host = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
  return default_port ? host : host + ":" + std::to_string(t.port);
}

}  // namespace

connection_settings make_connection_settings(const target& t, const deadlines& d) {
  connection_settings settings;
  settings.endpoints = resolve(t);
  settings.source_addresses = parse_source_addresses(t, settings.endpoints);
  if (t.scheme == "https") settings.tls = make_tls_context(t);
  settings.server_name = t.host;
  settings.verify_certificates = t.verify_certificates;
  settings.prefix = {host_header(t), t.base_path};
  settings.connect_timeout = d.connect;
  settings.request_timeout = d.request;
  settings.idle_timeout = d.idle;
  return settings;
}

}  // namespace loadgate::protocol
