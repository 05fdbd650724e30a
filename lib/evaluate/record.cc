#include "evaluate/record.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>

namespace slamon {
namespace {

using nlohmann::json;

// One member of a JSON object as Fields reads it: the fields of a record are
// strings, whole numbers or null; anything else is only ever "not that".
struct Value {
  enum class Kind : uint8_t { kNull, kString, kInteger, kOther };
  Kind kind = Kind::kNull;
  std::string_view text;  // kString
  int64_t integer = 0;    // kInteger
};

// The members of one object, views into the line (or into the DOM that
// parsed it). Of a key given twice the last counts, as in nlohmann::json.
class FlatObject {
 public:
  static constexpr size_t kMaxMembers = 32;

  bool Add(std::string_view key, Value value) {
    if (size_ == kMaxMembers) return false;
    members_[size_++] = {key, value};
    return true;
  }
  const Value* Find(std::string_view key) const {
    for (size_t i = size_; i-- > 0;) {
      if (members_[i].key == key) return &members_[i].value;
    }
    return nullptr;
  }

 private:
  struct Member {
    std::string_view key;
    Value value;
  };
  std::array<Member, kMaxMembers> members_;
  size_t size_ = 0;
};

// The fast path: one flat object of plain strings (printable ASCII, no
// escapes), whole numbers of up to 18 digits, true, false and null, as a
// help desk's export writes them. Everything it accepts is valid JSON that
// nlohmann::json reads to the same members; it declines (false) anything
// else — escapes, other bytes, nesting, fractions, every kind of error — and
// the line then goes to the DOM parser, which has the exact error messages.
class FlatScanner {
 public:
  explicit FlatScanner(std::string_view line) : p_(line.data()), end_(p_ + line.size()) {}

  bool Scan(FlatObject& object) {
    SkipSpace();
    if (!Take('{')) return false;
    SkipSpace();
    if (!Take('}')) {
      for (;;) {
        std::string_view key;
        Value value;
        if (!String(key)) return false;
        SkipSpace();
        if (!Take(':')) return false;
        SkipSpace();
        if (!Member(value) || !object.Add(key, value)) return false;
        SkipSpace();
        if (Take('}')) break;
        if (!Take(',')) return false;
        SkipSpace();
      }
    }
    SkipSpace();
    return p_ == end_;
  }

 private:
  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool Take(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }
  bool String(std::string_view& text) {
    if (!Take('"')) return false;
    const char* start = p_;
    for (; p_ != end_; ++p_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        text = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c < 0x20 || c >= 0x7f || c == '\\') return false;
    }
    return false;
  }
  bool Member(Value& value) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '"':
        value.kind = Value::Kind::kString;
        return String(value.text);
      case 'n':
        value.kind = Value::Kind::kNull;
        return Literal("null");
      case 't':
        value.kind = Value::Kind::kOther;
        return Literal("true");
      case 'f':
        value.kind = Value::Kind::kOther;
        return Literal("false");
      default:
        return Integer(value);
    }
  }
  // -?(0|[1-9][0-9]*), up to 18 digits (so it fits int64_t), and not
  // followed by a fraction or exponent (the caller requires , } or space).
  bool Integer(Value& value) {
    const bool negative = Take('-');
    const char* start = p_;
    int64_t n = 0;
    // Digits past the 18th are only counted: n must not overflow.
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (p_ - start < 18) n = n * 10 + (*p_ - '0');
      ++p_;
    }
    const auto digits = p_ - start;
    if (digits == 0 || digits > 18 || (*start == '0' && digits > 1)) return false;
    value.kind = Value::Kind::kInteger;
    value.integer = negative ? -n : n;
    return true;
  }

  const char* p_;
  const char* end_;
};

Value ValueOf(const json& value) {
  if (value.is_null()) return {};
  if (value.is_string())
    return {Value::Kind::kString, value.get_ref<const std::string&>(), 0};
  if (value.is_number_integer()) {
    // As the DOM reader always did: the number as an int64_t (an unsigned
    // one beyond it wraps to a negative number, out of every range).
    return {Value::Kind::kInteger, {}, value.get<int64_t>()};
  }
  return {Value::Kind::kOther, {}, 0};
}

// Reads typed fields of one JSON object; the first problem wins.
class Fields {
 public:
  explicit Fields(const FlatObject& object) : object_(object) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Required unless `fallback` is given; `alias` is an accepted second name.
  std::string Text(const char* key,
                   std::optional<std::string_view> fallback = std::nullopt,
                   const char* alias = nullptr) {
    return std::string(TextView(key, fallback, alias));
  }

  std::string_view TextView(const char* key,
                            std::optional<std::string_view> fallback = std::nullopt,
                            const char* alias = nullptr) {
    const Value* value = Find(key, alias);
    if (value == nullptr || value->kind == Value::Kind::kNull) {
      if (!fallback) Fail(std::string("missing field \"") + key + "\"");
      return fallback.value_or("");
    }
    if (value->kind != Value::Kind::kString) {
      Fail(std::string("field \"") + key + "\" must be a string");
      return "";
    }
    return value->text;
  }

  Instant Time(const char* key) {
    std::string_view text = TextView(key);
    if (!ok()) return {};
    auto parsed = ParseInstant(text);
    if (!parsed) Fail(std::string("field \"") + key + "\": " + parsed.error());
    // Input times end with the year 9999, so that every time computed from
    // them (at most a century later) is printed with its year and parses back.
    if (parsed && *parsed >= kEndOfInputTimes) {
      Fail(std::string("field \"") + key + "\": " + std::string(text) +
           " is after the year 9999");
    }
    return parsed ? *parsed : Instant{};
  }

  int Integer(const char* key, std::optional<int> fallback) {
    const Value* value = Find(key, nullptr);
    if (value == nullptr || value->kind == Value::Kind::kNull) {
      if (!fallback) Fail(std::string("missing field \"") + key + "\"");
      return fallback.value_or(0);
    }
    if (value->kind != Value::Kind::kInteger || value->integer < -1000000 ||
        value->integer > 1000000) {
      Fail(std::string("field \"") + key + "\" must be a whole number");
      return 0;
    }
    return static_cast<int>(value->integer);
  }

 private:
  const Value* Find(const char* key, const char* alias) const {
    const Value* value = object_.Find(key);
    if (value == nullptr && alias != nullptr) value = object_.Find(alias);
    return value;
  }
  void Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  const FlatObject& object_;
  std::string error_;
};

template <class T>
Result<Record> Done(Fields& fields, T value) {
  if (!fields.ok()) return Status::Error(fields.error());
  return Record{std::move(value)};
}

Result<Record> ParsePartner(Fields& f) {
  PartnerRecord p;
  p.id = f.Text("id", std::nullopt, "partner");
  p.name = f.Text("name", "");
  p.contract_signed_at = f.Time("contract_signed_at");
  std::string zone = f.Text("timezone", "UTC");
  p.policy = f.Text("policy", "default");
  p.holidays = f.Text("holidays", "");
  std::string credit = f.Text("credit", "quota");
  if (f.ok()) {
    if (Status holidays = CheckHolidaysName(p.holidays); !holidays.ok()) return holidays;
    auto kind = ParseCredit(credit);
    if (!kind) return Status::Error("field \"credit\" must be \"quota\" or \"paid\"");
    p.credit = *kind;
    try {
      p.zone = date::locate_zone(zone);
    } catch (const std::exception&) {
      return Status::Error("unknown time zone \"" + zone + "\"");
    }
  }
  return Done(f, std::move(p));
}

Result<Record> ParseCertification(Fields& f) {
  Certification c;
  c.partner = f.Text("partner", std::nullopt, "partner_id");
  c.employee = f.Text("employee");
  c.passed_at = f.Time("passed_at");
  return Done(f, std::move(c));
}

Result<Record> ParseRelease(Fields& f) {
  Release r;
  r.product = f.Text("product");
  r.version = f.Text("version");
  r.released_at = f.Time("released_at");
  return Done(f, std::move(r));
}

Result<Record> ParseEvent(Fields& f, int64_t sequence) {
  EventRecord r;
  r.ticket = f.Text("ticket", std::nullopt, "ticket_id");
  std::string kind = f.Text("kind");
  r.event.at = f.Time("at");
  if (!f.ok()) {
    return Status::Error(r.ticket.empty() ? f.error()
                                          : "ticket " + r.ticket + ": " + f.error());
  }
  auto parsed_kind = ParseEventKind(kind);
  if (!parsed_kind)
    return Status::Error("ticket " + r.ticket + ": unknown event kind \"" + kind + "\"");
  r.event.kind = *parsed_kind;
  r.event.sequence = sequence;
  switch (r.event.kind) {
    case EventKind::kOpened:
      r.event.partner = f.Text("partner", std::nullopt, "partner_id");
      r.event.severity = f.Text("severity");
      r.event.incidents = f.Integer("incidents", 1);
      r.event.product = f.Text("product", "");
      r.event.version = f.Text("version", "");
      break;
    case EventKind::kSeverity:
      r.event.severity = f.Text("severity");
      break;
    case EventKind::kIncidents:
      r.event.incidents = f.Integer("incidents", std::nullopt);
      break;
    default:
      break;
  }
  if (!f.ok()) return Status::Error("ticket " + r.ticket + ": " + f.error());
  return Record{std::move(r)};
}

// Every key Fields is ever asked for (at most FlatObject::kMaxMembers).
constexpr std::string_view kFieldNames[] = {
    "type",       "id",        "partner",
    "partner_id", "name",      "contract_signed_at",
    "timezone",   "policy",    "holidays",
    "credit",     "employee",  "passed_at",
    "product",    "version",   "released_at",
    "ticket",     "ticket_id", "kind",
    "at",         "severity",  "incidents"};
static_assert(std::size(kFieldNames) <= FlatObject::kMaxMembers);

Result<Record> ReadRecord(const FlatObject& object, int64_t sequence) {
  Fields fields(object);
  std::string_view type = fields.TextView("type");
  if (!fields.ok()) return Status::Error(fields.error());
  if (type == "partner") return ParsePartner(fields);
  if (type == "certification") return ParseCertification(fields);
  if (type == "release") return ParseRelease(fields);
  if (type == "event") return ParseEvent(fields, sequence);
  return Status::Error("unknown record type \"" + std::string(type) +
                       "\" (expected partner, certification, release or event)");
}

}  // namespace

Result<Record> ParseRecordWithDom(std::string_view line, int64_t sequence) {
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double ("14e4444"),
    // which used to escape and end `slamon evaluate` (found by fuzz_record).
    std::string why = e.what();
    auto detail = why.find("] ");  // drop "[json.exception.parse_error.101] "
    if (detail != std::string::npos) why = why.substr(detail + 2);
    return Status::Error("malformed JSON: " + why);
  }
  if (!object.is_object()) return Status::Error("expected a JSON object");
  FlatObject flat;
  // Only the fields a record has are ever read; other members, however
  // many, are not kept (a key appears once in a DOM object).
  for (std::string_view key : kFieldNames) {
    if (auto it = object.find(key); it != object.end()) flat.Add(key, ValueOf(*it));
  }
  return ReadRecord(flat, sequence);
}

Result<Record> ParseRecord(std::string_view line, int64_t sequence) {
  FlatObject object;
  if (FlatScanner(line).Scan(object)) return ReadRecord(object, sequence);
  return ParseRecordWithDom(line, sequence);
}

}  // namespace slamon
