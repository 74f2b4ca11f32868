#include "protocol/tls_client.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

namespace loadgate::protocol {
namespace {

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

void prepare_tls_client(boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>& stream,
                        const connection_settings& settings) {
  // SNI carries names only; an IP literal is checked against the certificate's IP entries.
  if (!is_ip_literal(settings.server_name)) SSL_set_tlsext_host_name(stream.native_handle(), settings.server_name.c_str());
  if (settings.verify_certificates) {
    stream.set_verify_mode(boost::asio::ssl::verify_peer);
    stream.set_verify_callback(boost::asio::ssl::host_name_verification(settings.server_name));
  } else {
    stream.set_verify_mode(boost::asio::ssl::verify_none);
  }
}

}  // namespace loadgate::protocol
