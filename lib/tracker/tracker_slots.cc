// Tracker: slot storage (tracker_records.h).
#include <algorithm>
#include <stdexcept>

#include "tracker/tracker.h"
#include "tracker/tracker_records.h"

namespace slamon {

Tracker::Slot& Tracker::SlotAt(uint32_t index) const {
  return slot_blocks_[index >> kSlotBlockBits][index & ((1u << kSlotBlockBits) - 1)];
}

uint32_t Tracker::SlotFor(const std::string& ticket) {
  uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slot_count_ == UINT32_MAX) throw std::length_error("Tracker: too many tickets");
    index = slot_count_++;
    if ((index >> kSlotBlockBits) == slot_blocks_.size())
      slot_blocks_.push_back(std::make_unique<Slot[]>(size_t{1} << kSlotBlockBits));
  }
  Slot& slot = SlotAt(index);
  slot.ticket.Assign(ticket);
  slot.in_use = true;
  ++slot.generation;
  index_.Insert(ticket, index);
  return index;
}

std::string_view Tracker::TicketOf(uint32_t handle) const {
  if (handle >= slot_count_) return {};
  const Slot& slot = SlotAt(handle);
  return slot.in_use ? slot.ticket.view() : std::string_view();
}

bool Tracker::Insert(Slot& slot, const TicketEvent& event) {
  slot.events.Decode(log_);
  for (const auto& e : log_) {
    if (e.sequence == event.sequence) return false;
  }
  const LoggedEvent logged = InternEvent(event, names_);
  auto position = std::upper_bound(
      log_.begin(), log_.end(), logged, [](const LoggedEvent& a, const LoggedEvent& b) {
        return a.at != b.at ? a.at < b.at : a.sequence < b.sequence;
      });
  log_.insert(position, logged);
  slot.events.Encode(log_);
  return true;
}

void Tracker::Unload(uint32_t index) {
  Slot& slot = SlotAt(index);
  released_.emplace(std::string(slot.ticket.view()), slot.contribution);
  index_.Erase(slot.ticket.view());  // reads the id: before it is cleared
  slot.ticket.Clear();
  slot.events.Clear();
  slot.contribution = Contribution{};
  slot.in_use = false;
  free_slots_.push_back(index);
}

}  // namespace slamon
