#include "evaluate/record.h"

#include <nlohmann/json.hpp>

namespace slamon {
namespace {

using nlohmann::json;

// Reads typed fields of one JSON object; the first problem wins.
class Fields {
 public:
  explicit Fields(const json& object) : object_(object) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Required unless `fallback` is given; `alias` is an accepted second name.
  std::string Text(const char* key, std::optional<std::string> fallback = std::nullopt,
                   const char* alias = nullptr) {
    const json* value = Find(key, alias);
    if (value == nullptr || value->is_null()) {
      if (!fallback) Fail(std::string("missing field \"") + key + "\"");
      return fallback.value_or("");
    }
    if (!value->is_string()) {
      Fail(std::string("field \"") + key + "\" must be a string");
      return "";
    }
    return value->get<std::string>();
  }

  Instant Time(const char* key) {
    std::string text = Text(key);
    if (!ok()) return {};
    auto parsed = ParseInstant(text);
    if (!parsed) Fail(std::string("field \"") + key + "\": " + parsed.error);
    return parsed ? *parsed : Instant{};
  }

  int Integer(const char* key, std::optional<int> fallback) {
    const json* value = Find(key, nullptr);
    if (value == nullptr || value->is_null()) {
      if (!fallback) Fail(std::string("missing field \"") + key + "\"");
      return fallback.value_or(0);
    }
    if (!value->is_number_integer() || value->get<int64_t>() < -1000000 ||
        value->get<int64_t>() > 1000000) {
      Fail(std::string("field \"") + key + "\" must be a whole number");
      return 0;
    }
    return value->get<int>();
  }

 private:
  const json* Find(const char* key, const char* alias) const {
    auto it = object_.find(key);
    if (it == object_.end() && alias != nullptr) it = object_.find(alias);
    return it == object_.end() ? nullptr : &*it;
  }
  void Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  const json& object_;
  std::string error_;
};

template <class T>
Parsed<Record> Done(Fields& fields, T value) {
  if (!fields.ok()) return {std::nullopt, fields.error()};
  return {Record{std::move(value)}, {}};
}

Parsed<Record> ParsePartner(Fields& f) {
  PartnerRecord p;
  p.id = f.Text("id", std::nullopt, "partner");
  p.name = f.Text("name", "");
  p.contract_signed_at = f.Time("contract_signed_at");
  std::string zone = f.Text("timezone", "UTC");
  p.policy = f.Text("policy", "default");
  p.holidays = f.Text("holidays", "");
  std::string credit = f.Text("credit", "quota");
  if (f.ok()) {
    if (std::string why = CheckHolidaysName(p.holidays); !why.empty())
      return {std::nullopt, why};
    auto kind = ParseCredit(credit);
    if (!kind) return {std::nullopt, "field \"credit\" must be \"quota\" or \"paid\""};
    p.credit = *kind;
    try {
      p.zone = date::locate_zone(zone);
    } catch (const std::exception&) {
      return {std::nullopt, "unknown time zone \"" + zone + "\""};
    }
  }
  return Done(f, std::move(p));
}

Parsed<Record> ParseCertification(Fields& f) {
  Certification c;
  c.partner = f.Text("partner", std::nullopt, "partner_id");
  c.employee = f.Text("employee");
  c.passed_at = f.Time("passed_at");
  return Done(f, std::move(c));
}

Parsed<Record> ParseRelease(Fields& f) {
  Release r;
  r.product = f.Text("product");
  r.version = f.Text("version");
  r.released_at = f.Time("released_at");
  return Done(f, std::move(r));
}

Parsed<Record> ParseEvent(Fields& f, int64_t sequence) {
  EventRecord r;
  r.ticket = f.Text("ticket", std::nullopt, "ticket_id");
  std::string kind = f.Text("kind");
  r.event.at = f.Time("at");
  if (!f.ok()) {
    return {std::nullopt,
            r.ticket.empty() ? f.error() : "ticket " + r.ticket + ": " + f.error()};
  }
  auto parsed_kind = ParseEventKind(kind);
  if (!parsed_kind)
    return {std::nullopt, "ticket " + r.ticket + ": unknown event kind \"" + kind + "\""};
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
  if (!f.ok()) return {std::nullopt, "ticket " + r.ticket + ": " + f.error()};
  return {Record{std::move(r)}, {}};
}

}  // namespace

Parsed<Record> ParseRecord(std::string_view line, int64_t sequence) {
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double ("14e4444"),
    // which used to escape and end `slamon evaluate` (found by fuzz_record).
    std::string why = e.what();
    auto detail = why.find("] ");  // drop "[json.exception.parse_error.101] "
    if (detail != std::string::npos) why = why.substr(detail + 2);
    return {std::nullopt, "malformed JSON: " + why};
  }
  if (!object.is_object()) return {std::nullopt, "expected a JSON object"};
  Fields fields(object);
  std::string type = fields.Text("type");
  if (!fields.ok()) return {std::nullopt, fields.error()};
  if (type == "partner") return ParsePartner(fields);
  if (type == "certification") return ParseCertification(fields);
  if (type == "release") return ParseRelease(fields);
  if (type == "event") return ParseEvent(fields, sequence);
  return {std::nullopt, "unknown record type \"" + type +
                            "\" (expected partner, certification, release or event)"};
}

}  // namespace slamon
