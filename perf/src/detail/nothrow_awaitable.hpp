#pragma once
// The completion token of the load path's co_awaits: an error comes back as the first element of
// a tuple instead of an exception, because a failed request is a measurement, not an error.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace loadgate::detail {

inline constexpr auto nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace loadgate::detail
