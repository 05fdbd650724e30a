#include "tracker/ticket_index.h"

#include <stdexcept>

namespace slamon {

size_t TicketIndex::Probe(std::string_view id, uint32_t hash) const {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const uint64_t entry = entries_[i];
    if (entry == kEmpty) return i;
    if (HashOf(entry) == hash && id_of_(SlotOf(entry)) == id) return i;
  }
}

std::optional<uint32_t> TicketIndex::Find(std::string_view id) const {
  if (size_ == 0) return std::nullopt;
  const uint64_t entry = entries_[Probe(id, Hash(id))];
  if (entry == kEmpty) return std::nullopt;
  return SlotOf(entry);
}

void TicketIndex::Insert(std::string_view id, uint32_t slot) {
  if ((size_ + 1) * 4 > entries_.size() * 3) Grow();
  const uint32_t hash = Hash(id);
  entries_[Probe(id, hash)] = Entry(hash, slot);
  ++size_;
}

bool TicketIndex::Erase(std::string_view id) {
  if (size_ == 0) return false;
  size_t hole = Probe(id, Hash(id));
  if (entries_[hole] == kEmpty) return false;
  --size_;
  // Move back each following entry whose probe sequence passes the hole.
  for (size_t next = (hole + 1) & mask_; entries_[next] != kEmpty;
       next = (next + 1) & mask_) {
    const size_t home = HashOf(entries_[next]) & mask_;
    if (((next - home) & mask_) < ((next - hole) & mask_)) continue;
    entries_[hole] = entries_[next];
    hole = next;
  }
  entries_[hole] = kEmpty;
  return true;
}

void TicketIndex::Grow() {
  const size_t places = entries_.empty() ? 16 : 2 * entries_.size();
  if (places > (size_t{1} << 32))
    throw std::length_error("TicketIndex: too many tickets");
  const std::vector<uint64_t> entries =
      std::exchange(entries_, std::vector<uint64_t>(places, kEmpty));
  mask_ = places - 1;
  for (uint64_t entry : entries) {
    if (entry == kEmpty) continue;
    size_t place = HashOf(entry) & mask_;
    while (entries_[place] != kEmpty) place = (place + 1) & mask_;
    entries_[place] = entry;
  }
}

}  // namespace slamon
