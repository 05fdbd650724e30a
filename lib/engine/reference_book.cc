#include "engine/reference_book.h"

#include <algorithm>
#include <tuple>

namespace slamon {
namespace {

template <typename Map>
auto SpanOf(const Map& map, std::string_view key)
    -> std::span<const typename Map::mapped_type::value_type> {
  auto found = map.find(key);
  if (found == map.end()) return {};
  return found->second;
}

// Keys whose entries differ between two maps (added, removed or changed);
// vectors are compared as multisets.
template <typename Map, typename Less>
void Differences(const Map& a, const Map& b, Less less,
                 std::set<std::string, std::less<>>* out) {
  auto same = [&](auto x, auto y) {
    std::sort(x.begin(), x.end(), less);
    std::sort(y.begin(), y.end(), less);
    return x == y;
  };
  for (const auto& [key, value] : a) {
    auto other = b.find(key);
    if (other == b.end() || !same(value, other->second)) out->insert(key);
  }
  for (const auto& [key, value] : b) {
    if (!a.contains(key)) out->insert(key);
  }
}

bool CertificationLess(const Certification& x, const Certification& y) {
  return std::tie(x.employee, x.passed_at) < std::tie(y.employee, y.passed_at);
}

bool ReleaseLess(const Release& x, const Release& y) {
  return std::tie(x.version, x.released_at) < std::tie(y.version, y.released_at);
}

}  // namespace

ReferenceBook::ReferenceBook(std::vector<Partner> partners,
                             std::vector<Certification> certifications,
                             std::vector<Release> releases) {
  for (auto& p : partners) AddPartner(std::move(p));
  for (auto& c : certifications) AddCertification(std::move(c));
  for (auto& r : releases) AddRelease(std::move(r));
}

ReferenceChanges ReferenceBook::Replace(ReferenceBook next) {
  ReferenceChanges changes;
  for (const auto& [id, partner] : partners_) {
    auto other = next.partners_.find(id);
    if (other == next.partners_.end() || !(other->second == partner))
      changes.partners.insert(id);
  }
  for (const auto& [id, partner] : next.partners_) {
    if (!partners_.contains(id)) changes.partners.insert(id);
  }
  Differences(certifications_, next.certifications_, CertificationLess,
              &changes.certifications);
  changes.partners.insert(changes.certifications.begin(), changes.certifications.end());
  Differences(releases_, next.releases_, ReleaseLess, &changes.products);
  *this = std::move(next);
  return changes;
}

bool ReferenceBook::AddPartner(Partner partner) {
  std::string id = partner.id;
  return partners_.try_emplace(std::move(id), std::move(partner)).second;
}

void ReferenceBook::SetPartner(Partner partner) {
  std::string id = partner.id;
  partners_.insert_or_assign(std::move(id), std::move(partner));
}

void ReferenceBook::AddCertification(Certification certification) {
  std::string partner = certification.partner;
  certifications_[std::move(partner)].push_back(std::move(certification));
}

void ReferenceBook::AddRelease(Release release) {
  std::string product = release.product;
  releases_[std::move(product)].push_back(std::move(release));
}

const Partner* ReferenceBook::FindPartner(std::string_view id) const {
  auto found = partners_.find(id);
  return found != partners_.end() ? &found->second : nullptr;
}

std::span<const Certification> ReferenceBook::CertificationsOf(
    std::string_view partner) const {
  return SpanOf(certifications_, partner);
}

std::span<const Release> ReferenceBook::ReleasesOf(std::string_view product) const {
  return SpanOf(releases_, product);
}

std::vector<std::string> ReferenceBook::CertifiedPartnerIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, certifications] : certifications_) ids.push_back(id);
  return ids;
}

PartnerRules ReferenceBook::RulesFor(std::string_view partner_id,
                                     const Rules& rules) const {
  PartnerRules result;
  result.partner = FindPartner(partner_id);
  if (result.partner == nullptr) {
    result.policy = &rules.DefaultPolicy();
    result.notes.push_back("unknown partner \"" + std::string(partner_id) +
                           "\": evaluated with the default policy in UTC");
    return result;
  }
  result.policy = rules.FindPolicy(result.partner->policy);
  if (result.policy == nullptr) {
    result.policy = &rules.DefaultPolicy();
    result.notes.push_back("partner " + result.partner->id + " names policy \"" +
                           result.partner->policy +
                           "\", which the config does not define: the default "
                           "policy is used");
  }
  const std::string& holidays = result.partner->holidays;
  if (!holidays.empty()) {
    if (rules.calendars.Contains(holidays)) {
      result.holidays = holidays;
    } else {
      result.notes.push_back("partner " + result.partner->id +
                             " names holiday calendar \"" + holidays +
                             "\", which the config does not define: its calendars' "
                             "own holidays are used");
    }
  }
  return result;
}

PolicyOfPartner ReferenceBook::PolicyLookup(const Rules& rules) const {
  return [this, &rules](const std::string& partner) -> const Policy& {
    const Partner* p = FindPartner(partner);
    const Policy* policy = p != nullptr ? rules.FindPolicy(p->policy) : nullptr;
    return policy != nullptr ? *policy : rules.DefaultPolicy();
  };
}

ResolvedContext ReferenceBook::ContextFor(const TicketEvent& opened,
                                          const Rules& rules) const {
  PartnerRules partner = RulesFor(opened.partner, rules);
  ResolvedContext result;
  result.partner = partner.partner;
  result.notes = std::move(partner.notes);
  result.context = TicketContext{
      .policy = partner.policy,
      .calendars = &rules.calendars,
      .partner_zone = partner.partner != nullptr ? partner.partner->zone : nullptr,
      .releases = ReleasesOf(opened.product),
      .certifications = CertificationsOf(opened.partner),
      .holidays = partner.holidays,
  };
  return result;
}

std::vector<std::string> ReferenceBook::Problems(const Rules& rules) const {
  std::vector<std::string> problems;
  for (const auto& [id, partner] : partners_) {
    for (auto& note : RulesFor(id, rules).notes) problems.push_back(std::move(note));
  }
  return problems;
}

}  // namespace slamon
