#pragma once
// How every TLS client of a run sets up its stream, written once for the load's connections and
// the pre-flight handshake: SNI with the target's name, and the certificate checked against it
// unless verification is off (--insecure).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "protocol/connection_settings.hpp"

namespace loadgate::protocol {

void prepare_tls_client(boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>& stream,
                        const connection_settings& settings);

}  // namespace loadgate::protocol
