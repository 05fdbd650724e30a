// TicketTable: the tickets `slamon evaluate` holds until the end of input —
// each one's id and packed events (EventLog) — found by id as their events
// arrive in any order.
//
// An open-addressing index of 8-byte slots (32 bits of the id's hash, 32 of
// the ticket's position) over tickets kept in blocks (std::deque: no
// allocation per ticket, no moves when it grows, so references stay valid).
// Compared with std::unordered_map<std::string, EventLog> it saves a node
// allocation and a pointer chase per ticket, which at a million tickets in
// random order was a tenth of evaluate's time, and about 30 bytes a ticket.
// At most 2^32 - 1 tickets. Not thread-safe (a plain value).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tracker/event_log.h"

namespace slamon {

class TicketTable {
 public:
  struct Ticket {
    std::string id;
    EventLog log;
  };

  // The ticket with this id, added (with no events) if new.
  Ticket& FindOrAdd(std::string_view id) {
    const uint32_t tag = Tag(id);
    if ((tickets_.size() + 1) * 4 > slots_.size() * 3) Grow();
    for (size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0) {
        tickets_.push_back({std::string(id), {}});
        slots_[i] = (uint64_t{tag} << 32) | tickets_.size();  // position + 1
        return tickets_.back();
      }
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        Ticket& ticket = tickets_[static_cast<uint32_t>(slot) - 1];
        if (ticket.id == id) return ticket;
      }
    }
  }

  size_t size() const { return tickets_.size(); }
  const Ticket& operator[](size_t i) const { return tickets_[i]; }

  // Positions of every ticket, in order of id (byte order). Sorted on the
  // ids' first 8 bytes, read big-endian (zero-padded), which order like the
  // ids themselves; only ids sharing them are compared in full. So the sort
  // mostly reads one array instead of a million scattered strings.
  std::vector<uint32_t> OrderById() const {
    struct Key {
      uint64_t prefix;
      uint32_t position;
    };
    std::vector<Key> keys(tickets_.size());
    for (uint32_t i = 0; i < keys.size(); ++i) keys[i] = {Prefix(tickets_[i].id), i};
    std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      return tickets_[a.position].id < tickets_[b.position].id;
    });
    std::vector<uint32_t> order(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].position;
    return order;
  }

 private:
  static uint64_t Prefix(std::string_view id) {
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i) {
      const auto byte = i < id.size() ? static_cast<unsigned char>(id[i]) : 0;
      prefix = (prefix << 8) | byte;
    }
    return prefix;
  }

  static uint32_t Tag(std::string_view id) {
    const uint64_t hash = std::hash<std::string_view>{}(id);
    return static_cast<uint32_t>(hash ^ (hash >> 32));
  }

  // Doubles the index (the slots keep their tags, so no id is read again).
  void Grow() {
    std::vector<uint64_t> old(std::max<size_t>(1024, slots_.size() * 2), 0);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const uint64_t slot : old) {
      if (slot == 0) continue;
      size_t i = static_cast<uint32_t>(slot >> 32) & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }

  std::deque<Ticket> tickets_;
  std::vector<uint64_t> slots_;  // 0: empty
  size_t mask_ = 0;
};

}  // namespace slamon
