// TimerWheel: a hierarchical timing wheel (Varghese & Lauck) for SLA clocks.
//
// Holds one timer per clock transition (a warning point or a deadline), each
// with a 64-bit payload chosen by the owner. Time is an argument: the wheel
// never reads a clock. Advance(now) hands back every timer whose instant is at
// or before `now`, never early and at most one tick late, however far `now`
// jumps forward; a `now` that moves backward fires nothing and loses nothing.
//
// Cost: Schedule and Cancel are O(1) (but for one scan when free nodes are
// rare, see Reuse); Advance costs O(expired timers + occupied slots passed),
// not O(ticks passed), so a jump of days is cheap. Timers live in a slab of
// reused nodes: no allocation per operation once the slab has grown to the
// peak number of timers.
//
// Not thread-safe: one owner (the event loop thread).
//
// Ticks. Tick boundaries are the multiples of `tick` since the Unix epoch. A
// timer for `when` is due at the first tick boundary at or after `when` (with
// the default 1 s tick and whole-second instants: at `when` itself), and
// Advance(now) returns exactly the timers due at or before `now`, plus those
// scheduled for an instant at or before the wheel's time (see Schedule). So a
// timer is never returned before `when` and, for an owner that wakes at
// NextExpiry(), less than one tick after it.
//
// Time. The wheel's time, now(), is the latest instant it was constructed or
// advanced with; an Advance to an earlier instant leaves it unchanged and
// returns only the timers already due at now().
//
// Layout. Six levels of 64 slots (a slot of level L spans 64^L ticks, so the
// levels cover 64^6 ticks, about 2177 years at 1 s) and an overflow list for
// timers beyond; each level has a 64-bit occupancy bitmap, so Advance and
// NextExpiry jump straight to the next occupied slot (count trailing zeros).
// A timer sits on the level of the highest 6-bit digit in which its due tick
// differs from the wheel's current tick, and moves down a level (a cascade)
// when the current tick reaches the start of its slot: at most six moves in
// its life (a timer in the overflow list is looked at once per 64^6 ticks).
//
// Memory. A timer is a 16-byte node (when, payload: what expiry reads) and a
// 4-byte id generation (what Cancel reads) in an array of its own. A slot is
// a chain of 1 KiB chunks of node indices from a shared pool; walking a slot
// is a sequential scan that prefetches the nodes ahead (bound by memory
// bandwidth, not latency). Nodes, generations and chunks live in arrays of
// fixed-size blocks: growing never copies, and capacity exceeds the peak by
// at most one block each (node and generation blocks are 2 MiB and ask for
// huge pages). About 25 bytes per pending timer at the peak, plus at most
// 1 KiB per occupied slot.
//
// Reuse. A bitmap marks the free nodes, and a cursor sweeps it in address
// order, so timers scheduled one after another take neighbouring nodes
// whatever order the nodes were freed in; a queue holds the next 16 free nodes
// with their memory already asked for, so free nodes far apart cost no wait.
// A summary bit per 64-bit word of the bitmap finds the next free node; when
// free nodes are rare that scan may pass the whole summary (2,500 words at
// 10M nodes, about a microsecond).
//
// Cancel. A bit per node says whether it holds a pending timer. Cancel checks
// the id's generation, advances it, clears the bit and counts one dead entry
// in the whole wheel; the entry stays in its slot. So a cancel is one random
// memory access (the generation) that nothing else waits on, in a few
// instructions, and cancels in random order overlap in the memory system.
// (Counting dead entries per slot would make each cancel wait for the slot
// number it read, a measurable cost: docs/benchmarks.md.) Walking a
// slot (expiry, cascade) drops dead entries without touching their nodes.
// A cancel that leaves dead entries outnumbering pending timers compacts
// every occupied slot in one pass over its entries and the alive bits: O(1)
// amortised per cancel, and cancels never leave more dead entries (held
// nodes) than pending timers. The pass is a pause proportional to the
// entries (its figures: docs/benchmarks.md), after at least as many cancels.
//
// Ids. A TimerId is the node index plus the node's generation (23 bits), which
// changes each time the node's timer ends, so a stale id is recognised; a node
// whose generation would wrap (after 2^23 - 1 timers) is retired, never reused
// (20 bytes lost per 8 million timers on one node). 23 bits rather than 32 so
// that a unit test can reach the wrap in a fraction of a second.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "instant/instant.h"

namespace slamon {

class TimerWheel {
 public:
  // A handle to a scheduled timer. Stale handles (of a timer that expired or
  // was cancelled) are recognised and ignored by Cancel.
  using TimerId = uint64_t;
  static constexpr TimerId kNoTimer = 0;

  struct Options {
    Seconds tick{1};  // must be positive; the constructor throws otherwise
  };

  struct Expired {
    Instant when;  // the instant the timer was scheduled for
    uint64_t payload;
  };

  // Throws std::invalid_argument if options.tick is not positive. (Two
  // constructors rather than `Options options = {}`: GCC cannot use a nested
  // struct's member initializers in a default argument of the enclosing class.)
  explicit TimerWheel(Instant now) : TimerWheel(now, Options{}) {}
  TimerWheel(Instant now, Options options);

  // Schedules a timer for `when` (an instant at or before the wheel's current
  // time expires at the next Advance). Never returns kNoTimer. Throws
  // std::length_error past 2^32 - 1 pending timers.
  TimerId Schedule(Instant when, uint64_t payload);

  // Cancels a pending timer; false when it already expired or was cancelled.
  // Inline: a cancel is a few instructions, so many overlap in the CPU.
  bool Cancel(TimerId id) {
    const auto index = static_cast<uint32_t>(id);
    const auto generation = static_cast<uint32_t>(id >> 32);
    // Generation 0 is a retired node's (and kNoTimer's): no timer has it.
    if (index >= generations_.size() || generation == 0) return false;
    // A free node may already carry the generation its next id will have.
    if (generations_[index] != generation || !Alive(index)) return false;
    Retire(index);
    if (++dead_ > size_) [[unlikely]]
      CompactAll();
    return true;
  }

  // Moves the wheel's time to `now` and appends every timer due at or before
  // `now` to `expired`, in order of `when` (ties in any order).
  void Advance(Instant now, std::vector<Expired>& expired);

  // An instant at or before the earliest pending timer's expiry, and no later
  // than its tick: the owner's wake-up time. std::nullopt when empty.
  // Precisely: now() when a timer is already due; else the start of the
  // wheel's next occupied slot, which is the earliest timer's due tick when
  // that timer is on level 0 (due within 64 ticks), and otherwise an earlier
  // tick at which Advance moves timers down a level (and NextExpiry then
  // returns a later instant). Always after now() in that case. O(levels).
  std::optional<Instant> NextExpiry() const;

  size_t size() const { return size_; }
  Instant now() const { return now_; }

  // Allocates room for `timers` pending timers up front (nodes, bitmaps,
  // slot chunks), so scheduling that many allocates nothing.
  void Reserve(size_t timers);
  // Bytes the wheel holds: its own size plus the capacity of its node slab,
  // bitmaps and chunk pool (which never shrink below their peak).
  size_t MemoryBytes() const;

  // The wheel's internals are private; see timer_wheel.cc.
 private:
  static constexpr int kLevelBits = 6;
  static constexpr int kLevels = 6;
  static constexpr uint32_t kSlots = 1u << kLevelBits;
  static constexpr int kWheelBits = kLevelBits * kLevels;  // ticks the levels span
  // Bucket ids: level L slot S is L * kSlots + S; then the two special lists.
  static constexpr uint16_t kOverflowBucket = kLevels * kSlots;
  static constexpr uint16_t kDueBucket = kOverflowBucket + 1;  // fire at next Advance
  static constexpr uint16_t kBuckets = kDueBucket + 1;
  static constexpr uint32_t kNil = UINT32_MAX;  // no node, no chunk
  static constexpr uint32_t kChunkEntries = 254;
  // How many nodes ahead a slot walk, and the queue of nodes to reuse, ask
  // for memory: enough misses in flight to cover memory latency.
  static constexpr uint32_t kPrefetchAhead = 16;

  struct alignas(16) Node {  // what expiry needs: 16 bytes, never across two lines
    int64_t when;            // seconds since the epoch
    uint64_t payload;
  };
  static_assert(sizeof(Node) == 16);
  static constexpr uint32_t kMaxGeneration = (1u << 23) - 1;
  // A new generation makes every id of the timer stale; a node whose
  // generation would wrap gets 0, which no id has, and is never reused.
  static constexpr uint32_t NextGeneration(uint32_t generation) {
    return generation == kMaxGeneration ? 0 : generation + 1;
  }

  struct alignas(64) Chunk {
    uint32_t entries[kChunkEntries];  // node indices
    uint32_t count;                   // entries in use; only a tail is partial
    uint32_t next;  // the bucket's next chunk, or the pool's next free chunk
  };
  static_assert(sizeof(Chunk) == 1024);

  struct Bucket {
    uint32_t head = kNil;  // first and last chunk
    uint32_t tail = kNil;
    uint32_t size = 0;  // entries, dead ones included
  };

  // Memory for one block of a BlockArray: aligned to its size up to 2 MiB,
  // and a block of 2 MiB or more asks the kernel for huge pages, so random
  // access to the nodes does not also miss the TLB on every timer.
  static void* AllocateBlock(size_t bytes);
  static void FreeHugeBlock(void* block);

  // A growable array of fixed-size blocks: elements never move, growing
  // copies nothing, and capacity exceeds size by less than one block.
  template <class T, int kBlockBits>
  class BlockArray {
   public:
    T& operator[](uint32_t i) { return blocks_[i >> kBlockBits][i & kMask]; }
    const T& operator[](uint32_t i) const { return blocks_[i >> kBlockBits][i & kMask]; }
    uint32_t size() const { return size_; }
    size_t capacity() const { return blocks_.size() << kBlockBits; }
    void push_back(const T& value) {
      if (size_ == capacity()) Grow();
      (*this)[size_++] = value;
    }
    void reserve(size_t n) {
      while (capacity() < n) Grow();
    }

   private:
    static constexpr uint32_t kMask = (1u << kBlockBits) - 1;
    struct FreeBlock {
      void operator()(T* p) const { FreeHugeBlock(p); }
    };
    void Grow() {
      static_assert(std::is_trivially_default_constructible_v<T>);
      blocks_.emplace_back(static_cast<T*>(AllocateBlock(sizeof(T) << kBlockBits)));
    }
    std::vector<std::unique_ptr<T[], FreeBlock>> blocks_;
    uint32_t size_ = 0;
  };

  uint64_t DueTick(int64_t when) const;
  Instant TickStart(uint64_t tick) const;
  void Place(uint32_t node);
  void PlaceAtTick(uint32_t node, uint64_t due);
  void Append(uint16_t bucket, uint32_t node);
  uint32_t NewChunk();
  void FreeChunk(uint32_t chunk);
  uint32_t Detach(uint16_t bucket);
  // Ends a node's timer (it fired or was cancelled): new generation, alive
  // bit cleared. Its entry may stay in its bucket until the bucket is walked.
  void Retire(uint32_t node) {
    generations_[node] = NextGeneration(generations_[node]);
    ClearAlive(node);
    --size_;
  }
  // Makes the node of an entry dropped from its slot free for reuse; with
  // `free` 0 does nothing (so that a loop can call it without a branch).
  void Release(uint32_t node, uint64_t free = 1) {
    const uint32_t word = node >> 6;
    free_[word] |= free << (node & 63);
    free_words_[word >> 6] |= free << (word & 63);
    free_count_ += static_cast<uint32_t>(free);
  }
  // A free node for a new timer, or kNil when none is free: the oldest in the
  // queue of nodes to reuse, topped up first from the free bitmap.
  uint32_t TakeFreeNode();
  // Takes the first free node at or after the cursor (wrapping) off the free
  // bitmap. Requires free_count_ != 0.
  uint32_t NextFreeNode();
  // Drops a slot's dead entries; the live ones move forward, in order.
  void Compact(uint16_t bucket);
  // Compacts every slot that has entries; afterwards no entry is dead.
  void CompactAll();
  bool Alive(uint32_t node) const { return (alive_[node >> 6] >> (node & 63)) & 1; }
  void SetAlive(uint32_t node) { alive_[node >> 6] |= uint64_t{1} << (node & 63); }
  void ClearAlive(uint32_t node) { alive_[node >> 6] &= ~(uint64_t{1} << (node & 63)); }
  void Fire(uint32_t node, std::vector<Expired>& expired);
  // Walks a detached chain of chunks: fires every timer (fire_all) or
  // re-places each relative to current_, firing those due; frees the chunks.
  void Drain(uint32_t head, bool fire_all, std::vector<Expired>& expired);
  // The tick of the next occupied slot (or of the overflow re-check), if any.
  std::optional<uint64_t> NextEventTick() const;

  int64_t origin_;              // tick 0, a tick boundary at or before construction
  int64_t tick_;                // seconds per tick
  Instant now_;                 // the wheel's time: the latest instant seen
  uint64_t current_ = 0;        // tick of the latest boundary at or before now_
  BlockArray<Node, 17> nodes_;  // 2 MiB blocks
  BlockArray<uint32_t, 19> generations_;  // 2 MiB blocks; the high half of ids
  std::vector<uint64_t> alive_;           // bit i: node i holds a pending timer
  // Free nodes, reused in address order from a cursor that sweeps the slab,
  // so that timers scheduled one after another write neighbouring nodes.
  std::vector<uint64_t> free_;        // bit i: node i is free for reuse
  std::vector<uint64_t> free_words_;  // bit w: free_[w] has a free node
  uint32_t free_count_ = 0;           // free nodes in free_
  uint32_t reuse_word_ = 0;           // the cursor: a word of free_
  // The next free nodes to reuse, taken off free_ ahead of time so that their
  // memory is fetched while the timers before them are scheduled.
  std::array<uint32_t, kPrefetchAhead> reuse_{};
  uint32_t reuse_first_ = 0;  // index in reuse_ of the oldest
  uint32_t reuse_count_ = 0;
  BlockArray<Chunk, 8> chunks_;
  uint32_t free_chunk_ = kNil;
  std::array<Bucket, kBuckets> buckets_{};
  std::array<uint64_t, kLevels> occupied_{};  // bit S of level L: slot S has a timer
  size_t size_ = 0;                           // pending timers
  size_t dead_ = 0;  // entries of cancelled timers still in slots
};

}  // namespace slamon
