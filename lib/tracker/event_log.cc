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

// The one list of what each kind of event carries besides its instant,
// sequence and kind: `name(text, id)` for each name, `count(incidents,
// logged_incidents)` for the count, as pairs of a TicketEvent's field and the
// LoggedEvent's.
template <typename Ticket, typename Logged, typename NameField, typename CountField>
void ForCarriedFields(Ticket& ticket, Logged& logged, NameField name, CountField count) {
  switch (ticket.kind) {
    case EventKind::kOpened:
      name(ticket.partner, logged.partner);
      name(ticket.severity, logged.severity);
      name(ticket.product, logged.product);
      name(ticket.version, logged.version);
      count(ticket.incidents, logged.incidents);
      break;
    case EventKind::kSeverity:
      name(ticket.severity, logged.severity);
      break;
    case EventKind::kIncidents:
      count(ticket.incidents, logged.incidents);
      break;
    default:
      break;
  }
}

}  // namespace

LoggedEvent InternEvent(const TicketEvent& event, NameTable& names) {
  LoggedEvent logged{.at = event.at.time_since_epoch().count(),
                     .sequence = event.sequence,
                     .kind = event.kind};
  ForCarriedFields(
      event, logged,
      [&](const std::string& text, NameTable::Id& id) { id = names.Intern(text); },
      [](int incidents, int32_t& logged_incidents) { logged_incidents = incidents; });
  return logged;
}

TicketEvent NameEvent(const LoggedEvent& event, const NameTable& names) {
  TicketEvent named;
  named.at = Instant{Seconds{event.at}};
  named.kind = event.kind;
  named.sequence = event.sequence;
  ForCarriedFields(
      named, event, [&](std::string& text, NameTable::Id id) { text = names.Name(id); },
      [](int& incidents, int32_t logged_incidents) { incidents = logged_incidents; });
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
