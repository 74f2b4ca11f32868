#pragma once
// Reading a TCP socket with the kernel's receive timestamp (SO_TIMESTAMPNS): when the bytes
// reached this machine, not when this thread got round to reading them. With a thousand streams
// on one thread, a read can come milliseconds after its bytes arrived, because the thread was
// parsing other streams' events; a latency stamped at the read holds that wait, the kernel's
// stamp does not. The wait itself is kept apart (stamped_read::waited), as the generator's health.
//
// For TCP the stamp is the newest segment's of those one read takes, so bytes that queued up
// while the thread was busy share the latest arrival among them: never later than the read.
// TLS reads go through OpenSSL, which reads the socket itself, so they are stamped at the read.
#include <cstddef>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "loadgate/observation.hpp"

namespace loadgate::protocol {

struct stamped_read {
  boost::system::error_code error;  // would_block: nothing to read yet; eof: the peer closed
  std::size_t bytes = 0;
  clock::time_point arrived{};  // the kernel's stamp, on the monotonic clock; the read's time without one
  clock::duration waited{};     // the read's time minus `arrived`
};

// Asks the kernel to stamp what this socket receives; silently does nothing where it cannot.
void enable_receive_timestamps(boost::asio::ip::tcp::socket& socket);

// One non-blocking read into `into` (recvmsg with MSG_DONTWAIT; an interrupted call is retried).
stamped_read receive_now(boost::asio::ip::tcp::socket& socket, boost::asio::mutable_buffer into);

}  // namespace loadgate::protocol
