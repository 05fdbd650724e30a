// `policies:` — NAME: {reclassification, warn_at, severities, quota,
// certification, versions}, each overriding a copy of BuiltinPolicy().
#include "config/config_sections.h"

namespace slamon::config_internal {
namespace {

constexpr std::string_view kTargetForms =
    "none, next-release or a map {within: DURATION, calendar: NAME, pausable: BOOL}";

// The default of `pausable` when a target map does not say (docs/design.md §1).
bool DefaultPausable(TargetName target) { return target != TargetName::kResponse; }

// At most this many days in a budget (about a century): the arithmetic walks
// local days, and a date past year 9999 means nothing to a partner.
constexpr int64_t kMaxBudgetDays = 36600;

// `within`: days (y w d) count working days, h m s working time (docs/design.md
// §2); 0 is a valid budget.
void ReadWithin(const Field& field, YamlReader& reader, TargetSpec* spec) {
  if (!reader.Duration(field, DurationMin::kZero)) return;  // reports what is wrong
  Result<DaysAndTime> parsed = ParseDaysAndTime(field.node.Scalar());
  if (!parsed) return;
  if ((*parsed).days > kMaxBudgetDays) {
    reader.Error(field, "budget of " + std::to_string((*parsed).days) +
                            " days is too long (at most " +
                            std::to_string(kMaxBudgetDays) + " days)");
    return;
  }
  spec->days = static_cast<int>((*parsed).days);
  spec->within = (*parsed).time;
}

std::optional<TargetSpec> ReadBudget(const Field& field, TargetName target,
                                     YamlReader& reader,
                                     std::vector<CalendarReference>* references) {
  TargetSpec spec{TargetKind::kBudget, Seconds{0}, std::string(kBuiltin24x7),
                  DefaultPausable(target)};
  bool has_within = false;
  const std::size_t errors_before = reader.ErrorCount();
  reader.Map(
      field,
      {
          {"within",
           [&](const Field& f) {
             has_within = true;
             ReadWithin(f, reader, &spec);
           }},
          {"calendar",
           [&](const Field& f) {
             if (auto name = reader.String(f)) {
               spec.calendar = *name;
               references->push_back(CalendarReference{*name, f.line, f.key});
             }
           }},
          {"pausable", [&](const Field& f) { reader.ReadBool(f, &spec.pausable); }},
      });
  if (!has_within)
    reader.Error(field, "within is required in a target map (e.g. {within: 4h})");
  if (reader.ErrorCount() != errors_before) return std::nullopt;
  return spec;
}

void ReadTarget(const Field& field, TargetName target, YamlReader& reader,
                TargetSpec* spec, std::vector<CalendarReference>* references) {
  if (field.node.IsScalar()) {
    const std::string& text = field.node.Scalar();
    if (text == "none") {
      *spec = TargetSpec{};
      return;
    }
    if (text == "next-release") {
      *spec = TargetSpec{TargetKind::kNextRelease, Seconds{0}, "", false};
      return;
    }
    std::string hint;
    if (ParseDuration(text)) hint = " (for a budget write {within: " + text + "})";
    reader.Error(field, "expected " + std::string(kTargetForms) + ", got " +
                            Describe(field.node) + hint);
    return;
  }
  if (!field.node.IsMap()) {
    reader.Error(
        field, "expected " + std::string(kTargetForms) + ", got " + Describe(field.node));
    return;
  }
  if (auto budget = ReadBudget(field, target, reader, references)) *spec = *budget;
}

void ReadSeverities(const Field& field, YamlReader& reader, Policy* policy,
                    std::vector<CalendarReference>* references) {
  reader.NamedEntries(
      field, "severities", [&](const std::string& name, const Field& entry) {
        // A built-in severity keeps the targets not mentioned; a new one has none.
        SeverityTargets& targets = policy->severities[name];
        std::vector<KeyHandler> keys;
        for (TargetName target : kTargetNames) {
          keys.push_back({ToString(target), [&, target](const Field& f) {
                            ReadTarget(f, target, reader, &targets[target], references);
                          }});
        }
        reader.Map(entry, keys);
      });
}

void ReadWarnAt(const Field& field, YamlReader& reader, std::vector<double>* warn_at) {
  std::vector<double> fractions;
  bool valid = field.node.IsSequence();
  reader.List(field, "fractions such as [0.5, 0.75]", [&](const Field& element) {
    std::optional<double> fraction = reader.Number(element);
    if (!fraction) {
      valid = false;
    } else if (!(*fraction > 0 && *fraction < 1)) {
      reader.Error(element,
                   "must be between 0 and 1 (exclusive), got " + element.node.Scalar());
      valid = false;
    } else if (!fractions.empty() && *fraction <= fractions.back()) {
      reader.Error(element,
                   "must be greater than the fraction before it (list each fraction "
                   "once, in ascending order)");
      valid = false;
    } else {
      fractions.push_back(*fraction);
    }
  });
  if (valid) *warn_at = std::move(fractions);
}

void ReadReclassification(const Field& field, YamlReader& reader, Reclassification* out) {
  std::optional<std::string> text = reader.String(field);
  if (!text) return;
  if (*text == "retroactive") {
    *out = Reclassification::kRetroactive;
  } else if (*text == "restart") {
    *out = Reclassification::kRestart;
  } else {
    reader.Error(field, "expected retroactive or restart, got \"" + *text + "\"");
  }
}

void ReadQuota(const Field& field, YamlReader& reader, QuotaRules* quota) {
  reader.Map(
      field,
      {
          {"unlimited_for",
           [&](const Field& f) {
             reader.ReadDuration(f, DurationMin::kZero, &quota->unlimited_for);
           }},
          {"first_year_incidents",
           [&](const Field& f) { reader.ReadInt(f, 0, &quota->first_year_incidents); }},
          {"yearly_incidents",
           [&](const Field& f) { reader.ReadInt(f, 0, &quota->yearly_incidents); }},
      });
}

void ReadCertification(const Field& field, YamlReader& reader,
                       CertificationRules* rules) {
  reader.Map(
      field,
      {
          {"valid_for_months",
           [&](const Field& f) { reader.ReadInt(f, 1, &rules->valid_for_months); }},
          {"min_certified_employees",
           [&](const Field& f) {
             reader.ReadInt(f, 1, &rules->min_certified_employees);
           }},
      });
}

void ReadVersions(const Field& field, YamlReader& reader, VersionRules* rules) {
  reader.Map(
      field,
      {
          {"supported_releases",
           [&](const Field& f) { reader.ReadInt(f, 1, &rules->supported_releases); }},
          {"upgrade_within_months",
           [&](const Field& f) { reader.ReadInt(f, 1, &rules->upgrade_within_months); }},
          {"clocks_when_unsupported",
           [&](const Field& f) { reader.ReadBool(f, &rules->clocks_when_unsupported); }},
      });
}

void ReadPolicy(const Field& field, YamlReader& reader, Policy* policy,
                std::vector<CalendarReference>* references) {
  reader.Map(
      field,
      {
          {"reclassification",
           [&](const Field& f) {
             ReadReclassification(f, reader, &policy->reclassification);
           }},
          {"warn_at", [&](const Field& f) { ReadWarnAt(f, reader, &policy->warn_at); }},
          {"severities",
           [&](const Field& f) { ReadSeverities(f, reader, policy, references); }},
          {"quota", [&](const Field& f) { ReadQuota(f, reader, &policy->quota); }},
          {"certification",
           [&](const Field& f) { ReadCertification(f, reader, &policy->certification); }},
          {"versions",
           [&](const Field& f) { ReadVersions(f, reader, &policy->versions); }},
      });
}

}  // namespace

void ReadPolicies(const Field& field, YamlReader& reader,
                  std::map<std::string, Policy, std::less<>>* policies,
                  std::vector<CalendarReference>* references) {
  reader.NamedEntries(field, "policies",
                      [&](const std::string& name, const Field& entry) {
                        Policy policy = BuiltinPolicy();
                        policy.name = name;
                        ReadPolicy(entry, reader, &policy, references);
                        (*policies)[name] = std::move(policy);
                      });
}

}  // namespace slamon::config_internal
