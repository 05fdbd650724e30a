// DeadlineSet: an ordered multiset of instants that answers its earliest one.
// The tracker keeps one per target and severity, holding the deadline of every
// running clock not yet breached, for the next-deadline gauge.
//
// A node-based std::multiset costs ~48 bytes per deadline; this one at most 6
// per distinct deadline (deadlines repeat a lot: a release date, the start of
// the next business day). Entries are (offset, count) pairs in sorted chunks of
// about kChunk entries: a 32-bit offset from the chunk's base instant and a
// 16-bit count of copies (a value with more copies takes more entries, side by
// side). Chunk i holds the values in [base i, base i + 1), all entries of a
// value in one chunk. A value too far from its chunk's base to be an offset
// (2^32 s, 136 years) starts a chunk of its own, so any int64 instant is held
// exactly. Insert and Erase cost a binary search over the chunks and one over
// the chunk, and move at most one chunk's entries; Earliest is O(1).
// Not thread-safe (a plain value).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace slamon {

class DeadlineSet {
 public:
  static constexpr size_t kChunk = 256;

  void Insert(int64_t instant);
  // Removes one copy of `instant`; false when there is none.
  bool Erase(int64_t instant);
  std::optional<int64_t> Earliest() const;

  size_t size() const { return size_; }  // copies included
  bool empty() const { return size_ == 0; }
  size_t MemoryBytes() const;

 private:
  struct Chunk {
    int64_t base;
    std::vector<uint32_t> offsets;  // sorted, never empty
    std::vector<uint16_t> counts;   // copies of offsets[i], at least 1
  };
  static constexpr uint16_t kMaxCount = UINT16_MAX;

  // The chunk whose range holds `instant`: the last with base <= instant.
  size_t ChunkOf(int64_t instant) const;
  void AddTo(size_t chunk, uint32_t offset);
  // Splits an over-full chunk at the value boundary nearest its middle, if any.
  void Split(size_t chunk);

  std::vector<Chunk> chunks_;  // by base
  size_t size_ = 0;
};

}  // namespace slamon
