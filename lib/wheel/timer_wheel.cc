#include "wheel/timer_wheel.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <new>
#include <stdexcept>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace slamon {
namespace {

// Asks for the cache line at p without waiting.
inline void Prefetch(const void* p) {
#if defined(__GNUC__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

bool EarlierWhen(const TimerWheel::Expired& a, const TimerWheel::Expired& b) {
  return a.when < b.when;
}

}  // namespace

void* TimerWheel::AllocateBlock(size_t bytes) {
  constexpr size_t kHugePage = size_t{2} << 20;
  const size_t alignment = std::min(bytes, kHugePage);
  void* block = std::aligned_alloc(alignment, bytes);
  if (block == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= kHugePage) madvise(block, bytes, MADV_HUGEPAGE);  // a hint only
#endif
  return block;
}

void TimerWheel::FreeHugeBlock(void* block) { std::free(block); }

TimerWheel::TimerWheel(Instant now, Options options)
    : tick_(options.tick.count()), now_(now) {
  if (tick_ <= 0) throw std::invalid_argument("TimerWheel: tick must be positive");
  const int64_t t = now.time_since_epoch().count();
  const int64_t phase = ((t % tick_) + tick_) % tick_;  // t - floor(t / tick) * tick
  origin_ = t - phase;
}

TimerWheel::TimerId TimerWheel::Schedule(Instant when, uint64_t payload) {
  uint32_t index = TakeFreeNode();
  if (index == kNil) {
    if (nodes_.size() >= kNil) throw std::length_error("TimerWheel: too many timers");
    index = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(Node{0, 0});
    generations_.push_back(1);
    if ((index & 63) == 0) {
      if ((alive_.size() & 63) == 0) free_words_.push_back(0);
      alive_.push_back(0);
      free_.push_back(0);
    }
  }
  SetAlive(index);
  Node& node = nodes_[index];
  node.when = when.time_since_epoch().count();
  node.payload = payload;
  const uint32_t generation = generations_[index];
  Place(index);
  ++size_;
  return (static_cast<uint64_t>(generation) << 32) | index;
}

uint32_t TimerWheel::TakeFreeNode() {
  for (;;) {
    while (reuse_count_ < kPrefetchAhead && free_count_ != 0) {
      const uint32_t node = NextFreeNode();
      Prefetch(&nodes_[node]);
      Prefetch(&generations_[node]);
      reuse_[(reuse_first_ + reuse_count_++) % kPrefetchAhead] = node;
    }
    if (reuse_count_ == 0) return kNil;
    const uint32_t node = reuse_[reuse_first_];
    reuse_first_ = (reuse_first_ + 1) % kPrefetchAhead;
    --reuse_count_;
    if (generations_[node] != 0) return node;  // else retired: dropped for good
  }
}

uint32_t TimerWheel::NextFreeNode() {
  uint32_t word = reuse_word_;
  if (free_[word] == 0) {
    // The next word with a free node, from the summary: after the cursor's
    // word, wrapping to the start (there is one, as free_count_ != 0).
    uint32_t summary = (word + 1) >> 6;
    uint64_t bits = 0;
    if (summary < free_words_.size()) {
      bits = free_words_[summary] & (~uint64_t{0} << ((word + 1) & 63));
    }
    while (bits == 0) {
      if (++summary >= free_words_.size()) summary = 0;
      bits = free_words_[summary];
    }
    word = summary * 64 + static_cast<uint32_t>(std::countr_zero(bits));
    reuse_word_ = word;
  }
  const auto bit = static_cast<uint32_t>(std::countr_zero(free_[word]));
  free_[word] &= free_[word] - 1;
  if (free_[word] == 0) free_words_[word >> 6] &= ~(uint64_t{1} << (word & 63));
  --free_count_;
  return word * 64 + bit;
}

void TimerWheel::Advance(Instant now, std::vector<Expired>& expired) {
  const size_t first = expired.size();
  now_ = std::max(now_, now);
  const uint64_t target = (static_cast<uint64_t>(now_.time_since_epoch().count()) -
                           static_cast<uint64_t>(origin_)) /
                          static_cast<uint64_t>(tick_);
  Drain(Detach(kDueBucket), /*fire_all=*/true, expired);
  while (current_ < target) {
    const std::optional<uint64_t> next = NextEventTick();
    if (!next || *next > target) {
      current_ = target;  // no slot starts in (current_, target]: nothing moves
      break;
    }
    current_ = *next;
    int level = 0;
    while (level < kLevels && occupied_[level] == 0) ++level;
    if (level == kLevels) {
      // A 64^6-tick block boundary: overflow timers that now fit move in.
      Drain(Detach(kOverflowBucket), /*fire_all=*/false, expired);
      continue;
    }
    const auto slot = static_cast<uint16_t>(std::countr_zero(occupied_[level]));
    const auto bucket = static_cast<uint16_t>(level * kSlots + slot);
    // Level 0: every timer in the slot is due at current_; above, cascade.
    Drain(Detach(bucket), /*fire_all=*/level == 0, expired);
  }
  // Slots fire in tick order; only timers within one tick (tick > 1 s) and
  // timers scheduled in the past can be out of order.
  const auto begin = expired.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, expired.end(), EarlierWhen)) {
    std::sort(begin, expired.end(), EarlierWhen);
  }
}

std::optional<Instant> TimerWheel::NextExpiry() const {
  if (size_ == 0) return std::nullopt;
  if (buckets_[kDueBucket].size != 0) return now_;
  const std::optional<uint64_t> next = NextEventTick();
  if (!next) return std::nullopt;  // unreachable: a pending timer has a slot
  return TickStart(*next);
}

void TimerWheel::Reserve(size_t timers) {
  nodes_.reserve(timers);
  generations_.reserve(timers);
  alive_.reserve(timers / 64 + 1);
  free_.reserve(timers / 64 + 1);
  free_words_.reserve(timers / 4096 + 1);
  chunks_.reserve(timers / kChunkEntries + kBuckets);
}

size_t TimerWheel::MemoryBytes() const {
  return sizeof(*this) +
         (alive_.capacity() + free_.capacity() + free_words_.capacity()) *
             sizeof(uint64_t) +
         nodes_.capacity() * sizeof(Node) + generations_.capacity() * sizeof(uint32_t) +
         chunks_.capacity() * sizeof(Chunk);
}

// The first tick boundary at or after `when`, counted from origin_.
// Requires when > origin_ (true of every timer not in the due bucket).
uint64_t TimerWheel::DueTick(int64_t when) const {
  const uint64_t offset = static_cast<uint64_t>(when) - static_cast<uint64_t>(origin_);
  if (tick_ == 1) return offset;
  return (offset - 1) / static_cast<uint64_t>(tick_) + 1;
}

Instant TimerWheel::TickStart(uint64_t tick) const {
  const uint64_t limit =
      (static_cast<uint64_t>(Instant::max().time_since_epoch().count()) -
       static_cast<uint64_t>(origin_)) /
      static_cast<uint64_t>(tick_);
  if (tick > limit) return Instant::max();
  return Instant{Seconds{static_cast<int64_t>(static_cast<uint64_t>(origin_) +
                                              tick * static_cast<uint64_t>(tick_))}};
}

void TimerWheel::Place(uint32_t node) {
  const int64_t when = nodes_[node].when;
  if (when <= now_.time_since_epoch().count()) {
    Append(kDueBucket, node);
  } else {
    PlaceAtTick(node, DueTick(when));
  }
}

// Requires due > current_.
void TimerWheel::PlaceAtTick(uint32_t node, uint64_t due) {
  const uint64_t differ = due ^ current_;
  if ((differ >> kWheelBits) != 0) {
    Append(kOverflowBucket, node);
    return;
  }
  const int level = (std::bit_width(differ) - 1) / kLevelBits;
  const auto slot = static_cast<uint32_t>(due >> (level * kLevelBits)) & (kSlots - 1);
  Append(static_cast<uint16_t>(static_cast<uint32_t>(level) * kSlots + slot), node);
}

void TimerWheel::Append(uint16_t bucket, uint32_t node) {
  Bucket& b = buckets_[bucket];
  uint32_t tail = b.tail;
  if (tail == kNil || chunks_[tail].count == kChunkEntries) {
    const uint32_t chunk = NewChunk();
    if (tail == kNil) {
      b.head = chunk;
    } else {
      chunks_[tail].next = chunk;
    }
    b.tail = tail = chunk;
  }
  Chunk& c = chunks_[tail];
  c.entries[c.count++] = node;
  if (b.size++ == 0 && bucket < kOverflowBucket) {
    occupied_[bucket / kSlots] |= uint64_t{1} << (bucket % kSlots);
  }
}

void TimerWheel::CompactAll() {
  for (int level = 0; level < kLevels; ++level) {
    for (uint64_t slots = occupied_[level]; slots != 0; slots &= slots - 1) {
      Compact(static_cast<uint16_t>(level * kSlots + std::countr_zero(slots)));
    }
  }
  if (buckets_[kOverflowBucket].size != 0) Compact(kOverflowBucket);
  if (buckets_[kDueBucket].size != 0) Compact(kDueBucket);
  dead_ = 0;
}

// Compacting a slot: one sequential pass copies its live entries forward over
// the dead ones (keeping their order) and frees the dead nodes, reading only
// the entries and the alive bits, never a node; then the chunks left empty at
// the end are freed. No branch depends on whether an entry is alive (that
// would be mispredicted half the time): every entry is written to the slot,
// and only a live one advances the position; every node is passed to Release,
// which frees only a dead one.
void TimerWheel::Compact(uint16_t bucket) {
  Bucket& b = buckets_[bucket];
  uint32_t write_chunk = b.head;
  uint32_t* out = chunks_[write_chunk].entries;
  uint32_t write = 0;
  uint32_t live = 0;
  for (uint32_t chunk = b.head; chunk != kNil; chunk = chunks_[chunk].next) {
    const uint32_t* in = chunks_[chunk].entries;
    const uint32_t count = chunks_[chunk].count;
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t node = in[i];
      const uint32_t alive = Alive(node) ? 1 : 0;
      Release(node, 1 - alive);
      if (write == kChunkEntries) {
        write_chunk = chunks_[write_chunk].next;
        out = chunks_[write_chunk].entries;
        write = 0;
      }
      out[write] = node;
      write += alive;
      live += alive;
    }
  }
  // Free the chunks after the last one written to (all of them, and the
  // slot empties, when nothing was live).
  uint32_t rest = live == 0 ? Detach(bucket) : chunks_[write_chunk].next;
  while (rest != kNil) {
    const uint32_t next = chunks_[rest].next;
    FreeChunk(rest);
    rest = next;
  }
  if (live == 0) return;
  b.size = live;
  b.tail = write_chunk;
  chunks_[write_chunk].next = kNil;
  chunks_[write_chunk].count = write;
}

uint32_t TimerWheel::NewChunk() {
  uint32_t chunk;
  if (free_chunk_ != kNil) {
    chunk = free_chunk_;
    free_chunk_ = chunks_[chunk].next;
  } else {
    if (chunks_.size() >= kNil) throw std::length_error("TimerWheel: too many timers");
    chunk = chunks_.size();
    chunks_.push_back(Chunk{});
  }
  chunks_[chunk].count = 0;
  chunks_[chunk].next = kNil;
  return chunk;
}

void TimerWheel::FreeChunk(uint32_t chunk) {
  chunks_[chunk].next = free_chunk_;
  free_chunk_ = chunk;
}

// Empties a bucket and returns its former chain of chunks.
uint32_t TimerWheel::Detach(uint16_t bucket) {
  const uint32_t head = buckets_[bucket].head;
  buckets_[bucket] = Bucket{};
  if (bucket < kOverflowBucket) {
    occupied_[bucket / kSlots] &= ~(uint64_t{1} << (bucket % kSlots));
  }
  return head;
}

void TimerWheel::Fire(uint32_t node, std::vector<Expired>& expired) {
  const Node& n = nodes_[node];
  expired.push_back(Expired{Instant{Seconds{n.when}}, n.payload});
  Retire(node);
  Release(node);
}

void TimerWheel::Drain(uint32_t head, bool fire_all, std::vector<Expired>& expired) {
  for (uint32_t chunk = head; chunk != kNil;) {
    const uint32_t count = chunks_[chunk].count;
    const uint32_t next = chunks_[chunk].next;
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t ahead = i + kPrefetchAhead;
      uint32_t soon = kNil;
      if (ahead < count) {
        soon = chunks_[chunk].entries[ahead];
      } else if (next != kNil && ahead - count < chunks_[next].count) {
        soon = chunks_[next].entries[ahead - count];
      }
      // Both are read when it fires. A timer moving down to level 0 fires
      // within 64 ticks, from a slot too small to prefetch ahead in: fetching
      // its generation now keeps it cached until then.
      if (soon != kNil && Alive(soon)) {
        Prefetch(&nodes_[soon]);
        Prefetch(&generations_[soon]);
      }
      const uint32_t node = chunks_[chunk].entries[i];
      if (!Alive(node)) {
        Release(node);
        --dead_;
        continue;
      }
      if (fire_all) {
        Fire(node, expired);
        continue;
      }
      const uint64_t due = DueTick(nodes_[node].when);
      if (due <= current_) {
        Fire(node, expired);
      } else {
        PlaceAtTick(node, due);  // may take chunks freed above, never this one
      }
    }
    FreeChunk(chunk);
    chunk = next;
  }
}

std::optional<uint64_t> TimerWheel::NextEventTick() const {
  for (int level = 0; level < kLevels; ++level) {
    if (occupied_[level] == 0) continue;
    // Every occupied slot of a level lies ahead of current_'s digit there, and
    // every timer of a lower level is due before any slot of a higher one.
    const int shift = level * kLevelBits;
    const uint64_t above = current_ >> (shift + kLevelBits) << (shift + kLevelBits);
    const auto slot = static_cast<uint64_t>(std::countr_zero(occupied_[level]));
    return above | (slot << shift);
  }
  if (buckets_[kOverflowBucket].size == 0) return std::nullopt;
  const uint64_t block = (current_ >> kWheelBits) + 1;
  if (block >> (64 - kWheelBits) != 0) return std::nullopt;  // past the tick range
  return block << kWheelBits;
}

}  // namespace slamon
