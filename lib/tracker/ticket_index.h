// TicketIndex: finds the slot that holds a ticket, by the ticket's id, without
// storing the id a second time.
//
// An open-addressing hash table (linear probing) of 8-byte entries: a 32-bit
// slot number and 32 bits of the id's hash. The ids live in the slots: the
// owner passes a function that answers the id a slot holds, which a lookup
// calls only for an entry whose hash matches (so about once per hit, and
// almost never for a miss). Growing and Erase (which shifts the following
// entries back: no tombstones) work from the stored hashes alone.
//
// Memory: 8 bytes per place, the number of places a power of two kept at most
// 3/4 full: 10.7 to 21.3 bytes per ticket. Slot numbers up to 2^32 - 2.
// Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace slamon {

class TicketIndex {
 public:
  using IdOf = std::function<std::string_view(uint32_t slot)>;

  explicit TicketIndex(IdOf id_of) : id_of_(std::move(id_of)) {}

  std::optional<uint32_t> Find(std::string_view id) const;
  // Starts fetching the place where a Find or Insert of `id` starts probing.
  void Prefetch(std::string_view id) const {
#if defined(__GNUC__)
    if (size_ != 0) __builtin_prefetch(&entries_[Hash(id) & mask_]);
#else
    (void)id;
#endif
  }
  // `id` must not be in the index yet; slot < UINT32_MAX.
  void Insert(std::string_view id, uint32_t slot);
  // False when `id` is not in the index.
  bool Erase(std::string_view id);

  size_t size() const { return size_; }
  size_t MemoryBytes() const { return entries_.capacity() * sizeof(uint64_t); }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX;  // no slot is UINT32_MAX

  static uint32_t Hash(std::string_view id) {
    const uint64_t h = std::hash<std::string_view>{}(id);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }
  static uint64_t Entry(uint32_t hash, uint32_t slot) {
    return (uint64_t{hash} << 32) | slot;
  }
  static uint32_t HashOf(uint64_t entry) { return static_cast<uint32_t>(entry >> 32); }
  static uint32_t SlotOf(uint64_t entry) { return static_cast<uint32_t>(entry); }
  // The place of `id`, or of the empty place that ends its probe sequence.
  size_t Probe(std::string_view id, uint32_t hash) const;
  void Grow();

  IdOf id_of_;
  std::vector<uint64_t> entries_;  // kEmpty or Entry(hash, slot)
  size_t mask_ = 0;                // places - 1, when there are places
  size_t size_ = 0;
};

}  // namespace slamon
