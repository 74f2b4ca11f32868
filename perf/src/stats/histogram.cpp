#include "loadgate/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "detail/strict_json.hpp"

namespace loadgate {

// HdrHistogram's layout for lowest 1, highest 3.6e9 and 3 significant digits: 2048 sub-buckets
// (the smallest power of two >= 2 * 10^3), so every bucket's width is at most 1/1024 of its
// values. Bucket 0 holds 0..2047 exactly; bucket b >= 1 holds [1024 * 2^b, 2048 * 2^b) in 1024
// sub-buckets of width 2^b. Counts are stored flat, HdrHistogram's counts index, split into
// segments of 1024: segment 0 = values 0..1023, segment s >= 1 = [2^(s+9), 2^(s+10)).
struct histogram_layout {
  static constexpr int sub_bucket_half_magnitude = 10;
  static constexpr std::uint64_t sub_bucket_half_count = 1u << sub_bucket_half_magnitude;  // 1024
  static constexpr std::uint64_t sub_bucket_mask = 2 * sub_bucket_half_count - 1;          // 2047
  static constexpr int leading_zero_base = 64 - (sub_bucket_half_magnitude + 1);             // 53
  static constexpr std::size_t segment_length = sub_bucket_half_count;
  static constexpr std::size_t segment_count = 23;  // bucket 21 holds 3.6e9 < 2^32
  static constexpr std::size_t counts_length = segment_count * segment_length;

  static int bucket_of(std::uint64_t value) { return leading_zero_base - std::countl_zero(value | sub_bucket_mask); }

  static std::size_t index_of(std::int64_t value) {
    const auto v = static_cast<std::uint64_t>(value);
    const int bucket = bucket_of(v);
    const std::uint64_t sub_bucket = v >> bucket;
    return ((static_cast<std::size_t>(bucket) + 1) << sub_bucket_half_magnitude) + (sub_bucket - sub_bucket_half_count);
  }

  static std::int64_t lowest_of_index(std::size_t index) {
    int bucket = static_cast<int>(index >> sub_bucket_half_magnitude) - 1;
    std::uint64_t sub_bucket = (index & (sub_bucket_half_count - 1)) + sub_bucket_half_count;
    if (bucket < 0) {  // the lower half of bucket 0
      sub_bucket -= sub_bucket_half_count;
      bucket = 0;
    }
    return static_cast<std::int64_t>(sub_bucket << bucket);
  }

  static std::int64_t highest_of_index(std::size_t index) {
    const int bucket = std::max(0, static_cast<int>(index >> sub_bucket_half_magnitude) - 1);
    return lowest_of_index(index) + (std::int64_t{1} << bucket) - 1;
  }

  static std::uint64_t* segment(const histogram& h, std::size_t s) {
    return s < h.segments_.size() ? h.segments_[s].get() : nullptr;
  }

  static bool dense(const histogram& h) { return !h.segments_.empty(); }

  static std::uint64_t& dense_slot(histogram& h, std::size_t index) {
    auto& seg = h.segments_[index / segment_length];
    if (!seg) seg = std::make_unique<std::uint64_t[]>(segment_length);  // value-initialised: zeros
    return seg[index % segment_length];
  }

  // Moves the sparse buckets into segments; from then on the histogram stays dense.
  static void densify(histogram& h) {
    h.segments_.resize(segment_count);
    for (const auto& b : h.sparse_) dense_slot(h, b.index) += b.count;
    std::vector<histogram::sparse_bucket>{}.swap(h.sparse_);  // gives the list's memory back
  }

  template <class H>  // histogram or const histogram: the iterator follows
  static auto sparse_position(H& h, std::size_t index) {
    return std::lower_bound(h.sparse_.begin(), h.sparse_.end(), index,
                            [](const histogram::sparse_bucket& b, std::size_t i) { return b.index < i; });
  }

  // Adds `count` to the bucket at `index`, sparse while few buckets are used.
  static void add(histogram& h, std::size_t index, std::uint64_t count) {
    if (dense(h)) {
      dense_slot(h, index) += count;
      return;
    }
    const auto it = sparse_position(h, index);
    if (it != h.sparse_.end() && it->index == index) {
      it->count += count;
      return;
    }
    if (h.sparse_.size() < histogram::sparse_limit) {
      h.sparse_.insert(it, {static_cast<std::uint32_t>(index), count});
      return;
    }
    densify(h);
    dense_slot(h, index) += count;
  }

  static std::uint64_t count_at(const histogram& h, std::size_t index) {
    if (!dense(h)) {
      const auto it = sparse_position(h, index);
      return it != h.sparse_.end() && it->index == index ? it->count : 0;
    }
    const auto* seg = segment(h, index / segment_length);
    return seg ? seg[index % segment_length] : 0;
  }

  // Visits non-empty counts in index order, skipping unallocated segments.
  template <class F>
  static void for_each_nonzero(const histogram& h, F&& visit) {
    if (!dense(h)) {
      for (const auto& b : h.sparse_)
        if (!visit(std::size_t{b.index}, b.count)) return;
      return;
    }
    for (std::size_t s = 0; s < h.segments_.size(); ++s) {
      const auto* seg = h.segments_[s].get();
      if (!seg) continue;
      for (std::size_t i = 0; i < segment_length; ++i)
        if (seg[i] != 0 && !visit(s * segment_length + i, seg[i])) return;
    }
  }
};

using layout = histogram_layout;

histogram::histogram() = default;
histogram::~histogram() = default;

histogram::histogram(const histogram& other)
    : total_count_{other.total_count_},
      saturated_count_{other.saturated_count_},
      min_{other.min_},
      max_{other.max_},
      sum_{other.sum_},
      sparse_{other.sparse_} {
  segments_.resize(other.segments_.size());
  for (std::size_t s = 0; s < other.segments_.size(); ++s) {
    if (!other.segments_[s]) continue;
    segments_[s] = std::make_unique_for_overwrite<std::uint64_t[]>(layout::segment_length);
    std::copy_n(other.segments_[s].get(), layout::segment_length, segments_[s].get());
  }
}

histogram& histogram::operator=(const histogram& other) {
  if (this != &other) *this = histogram{other};
  return *this;
}

void histogram::record(std::int64_t value, std::uint64_t count) {
  if (count == 0) return;
  if (value < lowest_trackable) value = lowest_trackable;
  if (value > highest_trackable) {
    value = highest_trackable;
    saturated_count_ += count;
  }
  layout::add(*this, layout::index_of(value), count);
  min_ = total_count_ == 0 ? value : std::min(min_, value);
  max_ = total_count_ == 0 ? value : std::max(max_, value);
  total_count_ += count;
  sum_ += static_cast<std::uint64_t>(value) * count;
}

void histogram::merge(const histogram& other) {
  if (other.empty()) return;
  if (!layout::dense(other)) {
    for (const auto& b : other.sparse_) layout::add(*this, b.index, b.count);
  } else {
    if (!layout::dense(*this)) layout::densify(*this);
    for (std::size_t s = 0; s < other.segments_.size(); ++s) {
      const auto* from = other.segments_[s].get();
      if (!from) continue;
      std::uint64_t* to = &layout::dense_slot(*this, s * layout::segment_length);
      for (std::size_t i = 0; i < layout::segment_length; ++i) to[i] += from[i];
    }
  }
  min_ = empty() ? other.min_ : std::min(min_, other.min_);
  max_ = empty() ? other.max_ : std::max(max_, other.max_);
  total_count_ += other.total_count_;
  saturated_count_ += other.saturated_count_;
  sum_ += other.sum_;
}

void histogram::clear() { *this = histogram{}; }

std::int64_t histogram::min() const { return min_; }
std::int64_t histogram::max() const { return max_; }

double histogram::mean() const {
  return empty() ? 0.0 : static_cast<double>(sum_) / static_cast<double>(total_count_);
}

namespace {

// The rank (1-based) of the sample at `percent`: ceil(percent/100 * n), except that a product
// within floating-point noise of an integer is that integer (99.9 % of 1000 is 999, not 1000).
std::uint64_t rank_at(double percent, std::uint64_t total) {
  if (!(percent >= 0.0)) percent = 0.0;  // also NaN
  const double exact = std::min(percent, 100.0) / 100.0 * static_cast<double>(total);
  const double nearest = std::round(exact);
  const double rank = std::abs(exact - nearest) <= 1e-9 * std::max(1.0, exact) ? nearest : std::ceil(exact);
  return std::clamp<std::uint64_t>(static_cast<std::uint64_t>(rank), 1, total);
}

}  // namespace

std::int64_t histogram::value_at_percentile(double percent) const {
  if (empty()) return 0;
  const std::uint64_t rank = rank_at(percent, total_count_);
  std::uint64_t cumulative = 0;
  std::int64_t value = max_;
  layout::for_each_nonzero(*this, [&](std::size_t index, std::uint64_t count) {
    cumulative += count;
    if (cumulative < rank) return true;
    value = layout::highest_of_index(index);
    return false;
  });
  return std::clamp(value, min_, max_);
}

void histogram::for_each_bucket(const std::function<void(std::int64_t, std::uint64_t)>& visit) const {
  layout::for_each_nonzero(*this, [&](std::size_t index, std::uint64_t count) {
    visit(std::clamp(layout::highest_of_index(index), min_, max_), count);
    return true;
  });
}

std::int64_t histogram::lowest_equivalent(std::int64_t value) {
  return layout::lowest_of_index(layout::index_of(std::clamp(value, lowest_trackable, highest_trackable)));
}

std::int64_t histogram::highest_equivalent(std::int64_t value) {
  return layout::highest_of_index(layout::index_of(std::clamp(value, lowest_trackable, highest_trackable)));
}

std::size_t histogram::allocated_bytes() const {
  const auto allocated = std::count_if(segments_.begin(), segments_.end(), [](const auto& s) { return s != nullptr; });
  return static_cast<std::size_t>(allocated) * layout::segment_length * sizeof(std::uint64_t) +
         segments_.capacity() * sizeof(segments_[0]) + sparse_.capacity() * sizeof(sparse_bucket);
}

bool histogram::operator==(const histogram& other) const {
  if (total_count_ != other.total_count_ || saturated_count_ != other.saturated_count_ || min_ != other.min_ ||
      max_ != other.max_ || sum_ != other.sum_)
    return false;
  // Sparse and dense storage of the same counts are equal.
  if (!layout::dense(*this) && !layout::dense(other)) return sparse_ == other.sparse_;
  std::vector<std::pair<std::size_t, std::uint64_t>> mine, theirs;
  const auto list = [](const histogram& h, auto& into) {
    layout::for_each_nonzero(h, [&](std::size_t i, std::uint64_t c) {
      into.emplace_back(i, c);
      return true;
    });
  };
  list(*this, mine);
  list(other, theirs);
  return mine == theirs;
}

// {"v":1,"count":n,"min":a,"max":b,"sum":s,"saturated":k,"counts":[[first_index,c,c,...],...]}
// "counts" lists runs of consecutive non-zero buckets: a run starts with its counts index (the
// layout above, fixed by "v"), followed by the counts. Lossless and roughly half the size of
// [index,count] pairs for dense latency distributions.
void to_json(nlohmann::json& j, const histogram& h) {
  auto runs = nlohmann::json::array();
  std::size_t next_index = 0;
  layout::for_each_nonzero(h, [&](std::size_t index, std::uint64_t count) {
    if (runs.empty() || index != next_index) runs.push_back(nlohmann::json::array({index}));
    runs.back().push_back(count);
    next_index = index + 1;
    return true;
  });
  j = nlohmann::json{{"v", 1},          {"count", h.count()},         {"min", h.min()},
                     {"max", h.max()},  {"sum", h.sum()},             {"saturated", h.saturated()},
                     {"counts", std::move(runs)}};
}

namespace {

constexpr std::string_view where = "histogram";

// Adds the runs' counts into h's buckets; returns their total and the first and last non-empty index.
std::uint64_t read_runs(const nlohmann::json& runs, histogram& h, std::size_t& first, std::size_t& last) {
  using detail::malformed;
  if (!runs.is_array()) malformed(where, "field 'counts' must be an array of [first_index, count, ...] runs");
  std::size_t next_free = 0;
  std::uint64_t total = 0;
  for (const auto& run : runs) {
    if (!run.is_array() || run.size() < 2)
      malformed(where, "each run in 'counts' must be [first_index, count, ...], got " + run.dump());
    const auto start = detail::as_unsigned(run[0], where, "counts");
    if (start < next_free || start + run.size() - 1 > layout::counts_length)
      malformed(where, "run at index " + std::to_string(start) +
                           " overlaps a previous run, is out of order or exceeds the " +
                           std::to_string(layout::counts_length) + " buckets");
    for (std::size_t i = 1; i < run.size(); ++i) {
      const auto count = detail::as_unsigned(run[i], where, "counts");
      if (count == 0) continue;
      const auto index = static_cast<std::size_t>(start) + i - 1;
      layout::add(h, index, count);
      if (total == 0) first = index;
      last = index;
      total += count;
    }
    next_free = static_cast<std::size_t>(start) + run.size() - 1;
  }
  return total;
}

}  // namespace

void from_json(const nlohmann::json& j, histogram& out) {
  using detail::malformed;
  using detail::read_unsigned;
  if (const auto v = read_unsigned(j, where, "v"); v != 1)
    malformed(where, "format v" + std::to_string(v) + " is not supported; this loadgate reads v1");
  histogram h;
  std::size_t first = 0, last = 0;
  h.total_count_ = read_runs(detail::field(j, where, "counts"), h, first, last);
  if (h.total_count_ != read_unsigned(j, where, "count"))
    malformed(where, "'count' is " + std::to_string(read_unsigned(j, where, "count")) +
                         " but the buckets hold " + std::to_string(h.total_count_));
  const auto min = read_unsigned(j, where, "min");
  const auto max = read_unsigned(j, where, "max");
  h.sum_ = read_unsigned(j, where, "sum");
  h.saturated_count_ = read_unsigned(j, where, "saturated");
  if (h.empty()) {
    if (min != 0 || max != 0 || h.sum_ != 0 || h.saturated_count_ != 0)
      malformed(where, "an empty histogram must have min, max, sum and saturated 0");
    out = std::move(h);
    return;
  }
  if (max > static_cast<std::uint64_t>(histogram::highest_trackable) || min < 1 || min > max)
    malformed(where, "min " + std::to_string(min) + " and max " + std::to_string(max) + " must satisfy 1 <= min <= max <= 3600000000");
  h.min_ = static_cast<std::int64_t>(min);
  h.max_ = static_cast<std::int64_t>(max);
  if (layout::index_of(h.min_) != first || layout::index_of(h.max_) != last)
    malformed(where, "min and max do not fall in the lowest and highest non-empty buckets");
  const long double n = static_cast<long double>(h.total_count_);
  if (h.sum_ < n * min || h.sum_ > n * max) malformed(where, "'sum' is outside [min * count, max * count]");
  if (h.saturated_count_ > 0 && (max != static_cast<std::uint64_t>(histogram::highest_trackable) ||
                                 h.saturated_count_ > layout::count_at(h, last)))
    malformed(where, "'saturated' exceeds the count recorded at the highest trackable value");
  out = std::move(h);
}

}  // namespace loadgate
