#pragma once
// The bytes read from a connection and not yet parsed. Starts small so that ten thousand idle
// users stay cheap, grows when reads fill it (large or fast responses), and can be released
// while its user thinks.
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

#include <boost/asio/buffer.hpp>

namespace loadgate::protocol {

class read_buffer {
 public:
  static constexpr std::size_t initial_capacity = 1024;
  static constexpr std::size_t max_read_size = 64 * 1024;

  // Room for the next read. Unparsed bytes (a header or chunk size split across reads) are kept.
  boost::asio::mutable_buffer prepare() {
    if (begin_ == end_) begin_ = end_ = 0;
    if (!data_) allocate(initial_capacity);
    if (grow_ && capacity_ < max_read_size) allocate(capacity_ * 2);
    else if (end_ == capacity_ && begin_ > 0) compact();
    else if (end_ == capacity_) allocate(capacity_ * 2);  // an unparsed header longer than the buffer
    grow_ = false;
    return {data_.get() + end_, capacity_ - end_};
  }

  void commit(std::size_t n) {
    grow_ = end_ + n == capacity_;  // a full read: the next one may have more to give
    end_ += n;
  }

  std::string_view view() const { return {data_.get() + begin_, end_ - begin_}; }
  std::size_t size() const { return end_ - begin_; }
  void consume(std::size_t n) { begin_ += n; }
  void clear() { begin_ = end_ = 0; }

  // Frees the memory when nothing is pending; the next prepare() allocates it again.
  void release() {
    if (begin_ != end_) return;
    data_.reset();
    capacity_ = begin_ = end_ = 0;
    grow_ = false;
  }

 private:
  void compact() {
    std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }

  void allocate(std::size_t capacity) {
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (end_ > begin_) std::memcpy(bigger.get(), data_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool grow_ = false;
};

}  // namespace loadgate::protocol
