#include "metrics/exposition.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <vector>

namespace slamon {
namespace {

// Whether `value` prints as a plain integer: what TextSerializer (precision
// 16, %g style) writes for it then is exactly its integer digits.
bool PlainInteger(double value) {
  return std::abs(value) < 1e15 && std::trunc(value) == value &&
         !(value == 0 && std::signbit(value));
}

bool Plain(const prometheus::MetricFamily& family) {
  if (family.type != prometheus::MetricType::Counter &&
      family.type != prometheus::MetricType::Gauge) {
    return false;
  }
  const bool counter = family.type == prometheus::MetricType::Counter;
  return std::all_of(family.metric.begin(), family.metric.end(), [&](const auto& m) {
    return m.timestamp_ms == 0 && PlainInteger(counter ? m.counter.value : m.gauge.value);
  });
}

void AppendEscaped(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
}

// A counter or gauge family of integer values, byte for byte as
// prometheus::TextSerializer writes it, without its stream per character:
// a million-ticket scrape has 20,000 such series.
void AppendPlain(std::string& out, const prometheus::MetricFamily& family) {
  const bool counter = family.type == prometheus::MetricType::Counter;
  if (!family.help.empty()) {
    out += "# HELP ";
    out += family.name;
    out += ' ';
    out += family.help;
    out += '\n';
  }
  out += "# TYPE ";
  out += family.name;
  out += counter ? " counter\n" : " gauge\n";
  for (const auto& metric : family.metric) {
    out += family.name;
    if (!metric.label.empty()) {
      out += '{';
      const char* prefix = "";
      for (const auto& label : metric.label) {
        out += prefix;
        out += label.name;
        out += "=\"";
        AppendEscaped(out, label.value);
        out += '"';
        prefix = ",";
      }
      out += '}';
    }
    out += ' ';
    char digits[32];
    const double value = counter ? metric.counter.value : metric.gauge.value;
    auto end =
        std::to_chars(digits, digits + sizeof digits, static_cast<int64_t>(value)).ptr;
    out.append(digits, end);
    out += '\n';
  }
}

}  // namespace

std::string RenderMetrics(const prometheus::Collectable& collectable) {
  return RenderMetrics(std::vector<const prometheus::Collectable*>{&collectable});
}

std::string RenderMetrics(
    const std::vector<const prometheus::Collectable*>& collectables) {
  // Each collectable's families as text, then put in order by name: a
  // MetricsText's written directly, the others' collected and serialized.
  std::vector<std::string> texts(collectables.size());
  struct Piece {
    std::string name;
    size_t text = 0;  // in texts
    size_t begin = 0;
    size_t end = 0;
  };
  std::vector<Piece> pieces;
  auto by_labels = [](const auto& a, const auto& b) { return a.label < b.label; };
  std::vector<MetricsText::Family> written;
  for (size_t i = 0; i < collectables.size(); ++i) {
    std::string& text = texts[i];
    if (const auto* direct = dynamic_cast<const MetricsText*>(collectables[i])) {
      written.clear();
      direct->WriteText(text, written);
      for (const auto& family : written)
        pieces.push_back({std::string(family.name), i, family.begin, family.end});
      continue;
    }
    std::vector<prometheus::MetricFamily> families = collectables[i]->Collect();
    for (auto& family : families) {
      if (!std::is_sorted(family.metric.begin(), family.metric.end(), by_labels))
        std::stable_sort(family.metric.begin(), family.metric.end(), by_labels);
      const size_t begin = text.size();
      if (Plain(family)) {
        AppendPlain(text, family);
      } else {
        text += prometheus::TextSerializer().Serialize({family});
      }
      pieces.push_back({std::move(family.name), i, begin, text.size()});
    }
  }
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](const Piece& a, const Piece& b) { return a.name < b.name; });
  size_t size = 0;
  for (const std::string& text : texts) size += text.size();
  std::string out;
  out.reserve(size);
  for (const Piece& piece : pieces)
    out.append(texts[piece.text], piece.begin, piece.end - piece.begin);
  return out;
}

}  // namespace slamon
