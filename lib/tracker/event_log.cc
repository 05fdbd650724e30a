#include "tracker/event_log.h"

namespace slamon {
namespace {

uint64_t ZigZag(uint64_t delta) {
  return (delta << 1) ^ (0 - (delta >> 63));  // the sign bit, spread over all bits
}
uint64_t UnZigZag(uint64_t zigzag) { return (zigzag >> 1) ^ (0 - (zigzag & 1)); }

// Counts the bytes an encoding takes.
struct Measure {
  size_t bytes = 0;
  void Byte(uint8_t) { ++bytes; }
  void Varint(uint64_t value) {
    do {
      ++bytes;
      value >>= 7;
    } while (value != 0);
  }
};

// Writes an encoding into room measured beforehand.
struct Write {
  uint8_t* to;
  void Byte(uint8_t byte) { *to++ = byte; }
  void Varint(uint64_t value) {
    while (value >= 0x80) {
      *to++ = static_cast<uint8_t>(value | 0x80);
      value >>= 7;
    }
    *to++ = static_cast<uint8_t>(value);
  }
};

template <class Sink>
void Serialize(std::span<const LoggedEvent> events, Sink& sink) {
  uint64_t at = 0, sequence = 0;
  for (const LoggedEvent& e : events) {
    sink.Byte(static_cast<uint8_t>(e.kind));
    sink.Varint(ZigZag(static_cast<uint64_t>(e.at) - at));
    sink.Varint(ZigZag(static_cast<uint64_t>(e.sequence) - sequence));
    at = static_cast<uint64_t>(e.at);
    sequence = static_cast<uint64_t>(e.sequence);
    switch (e.kind) {
      case EventKind::kOpened:
        sink.Varint(e.partner);
        sink.Varint(e.severity);
        sink.Varint(e.product);
        sink.Varint(e.version);
        sink.Varint(ZigZag(static_cast<uint64_t>(int64_t{e.incidents})));
        break;
      case EventKind::kSeverity:
        sink.Varint(e.severity);
        break;
      case EventKind::kIncidents:
        sink.Varint(ZigZag(static_cast<uint64_t>(int64_t{e.incidents})));
        break;
      default:
        break;
    }
  }
}

uint64_t ReadVarint(const uint8_t*& from) {
  uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = *from++;
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return value;
  }
}

}  // namespace

LoggedEvent InternEvent(const TicketEvent& event, NameTable& names) {
  LoggedEvent logged{.at = event.at.time_since_epoch().count(),
                     .sequence = event.sequence,
                     .kind = event.kind};
  switch (event.kind) {
    case EventKind::kOpened:
      logged.partner = names.Intern(event.partner);
      logged.severity = names.Intern(event.severity);
      logged.product = names.Intern(event.product);
      logged.version = names.Intern(event.version);
      logged.incidents = event.incidents;
      break;
    case EventKind::kSeverity:
      logged.severity = names.Intern(event.severity);
      break;
    case EventKind::kIncidents:
      logged.incidents = event.incidents;
      break;
    default:
      break;
  }
  return logged;
}

TicketEvent NameEvent(const LoggedEvent& event, const NameTable& names) {
  TicketEvent named;
  named.at = Instant{Seconds{event.at}};
  named.kind = event.kind;
  named.sequence = event.sequence;
  switch (event.kind) {
    case EventKind::kOpened:
      named.partner = names.Name(event.partner);
      named.severity = names.Name(event.severity);
      named.product = names.Name(event.product);
      named.version = names.Name(event.version);
      named.incidents = event.incidents;
      break;
    case EventKind::kSeverity:
      named.severity = names.Name(event.severity);
      break;
    case EventKind::kIncidents:
      named.incidents = event.incidents;
      break;
    default:
      break;
  }
  return named;
}

void EventLog::Encode(std::span<const LoggedEvent> events) {
  Measure measure;
  Serialize(events, measure);
  Write write{bytes_.Reset(measure.bytes)};
  Serialize(events, write);
}

void EventLog::Decode(std::vector<LoggedEvent>& events) const {
  events.clear();
  const uint8_t* from = bytes_.data();
  const uint8_t* const end = from + bytes_.size();
  uint64_t at = 0, sequence = 0;
  while (from < end) {
    LoggedEvent& e = events.emplace_back();
    e.kind = static_cast<EventKind>(*from++);
    at += UnZigZag(ReadVarint(from));
    sequence += UnZigZag(ReadVarint(from));
    e.at = static_cast<int64_t>(at);
    e.sequence = static_cast<int64_t>(sequence);
    switch (e.kind) {
      case EventKind::kOpened:
        e.partner = static_cast<NameTable::Id>(ReadVarint(from));
        e.severity = static_cast<NameTable::Id>(ReadVarint(from));
        e.product = static_cast<NameTable::Id>(ReadVarint(from));
        e.version = static_cast<NameTable::Id>(ReadVarint(from));
        e.incidents = static_cast<int32_t>(UnZigZag(ReadVarint(from)));
        break;
      case EventKind::kSeverity:
        e.severity = static_cast<NameTable::Id>(ReadVarint(from));
        break;
      case EventKind::kIncidents:
        e.incidents = static_cast<int32_t>(UnZigZag(ReadVarint(from)));
        break;
      default:
        break;
    }
  }
}

}  // namespace slamon
