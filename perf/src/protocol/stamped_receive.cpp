#include "protocol/stamped_receive.hpp"

#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/asio/error.hpp>

namespace loadgate::protocol {
namespace {

// Longer than any wait a healthy read can have: a stamp further back (the wall clock was stepped
// between the kernel's stamp and the read) is not trusted.
constexpr auto implausible_wait = std::chrono::seconds{10};

std::chrono::nanoseconds since_epoch(const timespec& t) {
  return std::chrono::seconds{t.tv_sec} + std::chrono::nanoseconds{t.tv_nsec};
}

}  // namespace

void enable_receive_timestamps(boost::asio::ip::tcp::socket& socket) {
  const int yes = 1;
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &yes, sizeof yes);
}

stamped_read receive_now(boost::asio::ip::tcp::socket& socket, boost::asio::mutable_buffer into) {
  iovec data{into.data(), into.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  ssize_t n = 0;
  do {
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    n = ::recvmsg(socket.native_handle(), &message, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  const int read_errno = errno;  // before the clock calls, which may change it
  // The wall clock, then the monotonic one: the kernel stamps on the first, the engine on the second.
  timespec wall{};
  ::clock_gettime(CLOCK_REALTIME, &wall);
  const auto read_at = clock::now();

  stamped_read r;
  r.arrived = read_at;
  if (n < 0) {
    r.error = read_errno == EAGAIN || read_errno == EWOULDBLOCK
                  ? boost::asio::error::would_block
                  : boost::system::error_code{read_errno, boost::system::system_category()};
    return r;
  }
  if (n == 0 && into.size() > 0) {
    r.error = boost::asio::error::eof;
    return r;
  }
  r.bytes = static_cast<std::size_t>(n);
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    const auto waited = since_epoch(wall) - since_epoch(stamp);
    if (waited >= std::chrono::nanoseconds::zero() && waited < implausible_wait) {
      r.waited = std::chrono::duration_cast<clock::duration>(waited);
      r.arrived = read_at - r.waited;
    }
  }
  return r;
}

}  // namespace loadgate::protocol
