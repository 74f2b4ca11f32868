#pragma once
// Which of the run's users, arrivals and connection slots one worker takes. The run's global
// sequence is dealt to shards round-robin (index % shards) and each shard's share to its threads
// the same way, so every index has exactly one owner across all shards and threads, whatever
// each shard's thread count.
#include <cstddef>
#include <cstdint>

#include "loadgate/shard.hpp"

namespace loadgate::engine {

struct partition {
  loadgate::shard shard;    // this process's part of the run
  std::size_t thread = 0;   // this worker, 0 .. threads−1
  std::size_t threads = 1;  // the shard's worker threads

  bool owns(std::uint64_t i) const {
    return i % shard.count == shard.index - 1 && (i / shard.count) % threads == thread;
  }
  // The j-th index this worker owns (j = 0, 1, ...).
  std::uint64_t nth(std::uint64_t j) const { return (shard.index - 1) + shard.count * (thread + threads * j); }
  // How many of 0 .. total−1 it owns.
  std::size_t share(std::size_t total) const { return share_of(share_of(total, shard), {thread + 1, threads}); }
};

}  // namespace loadgate::engine
