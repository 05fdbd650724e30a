// ReferenceBook: the reference data a ticket is judged by besides its own
// events — partners, certifications, releases — and the one place where a
// ticket's TicketContext is built from it and the Rules (docs/design.md §1, §6).
//
// The tracker, `slamon evaluate`, `slamon explain` and `slamon report` all
// call ContextFor, so they agree on every default:
//   - a partner the book does not know: the default policy, in UTC, without
//     certifications (a note says so);
//   - a partner naming a policy the rules do not define: the default policy
//     in the partner's zone (a note says so; the daemon logs it);
//   - a partner naming a holiday calendar (docs/design.md §2): its holidays
//     replace those of every calendar of the policy but 24x7; one the rules
//     do not define: the calendars' own holidays (a note says so; the daemon
//     logs it);
//   - certifications are those of the opened event's partner, releases those
//     of its product.
//
// Replace semantics (docs/design.md §6): Replace swaps the whole book and says
// which partners and products changed, so their tickets can be re-evaluated;
// a deleted certification or a postponed release is a change like any other.
// The Set/Add mutators serve readers that build the book a record at a time.
//
// Spans and pointers handed out stay valid until the book is next changed.
// Pure; not thread-safe: one owner.
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/history.h"
#include "engine/release.h"
#include "engine/ticket_event.h"
#include "policy/rules.h"
#include "quota/certification.h"
#include "quota/partner.h"

namespace slamon {

// A partner as the rules see it.
struct PartnerRules {
  const Partner* partner = nullptr;  // nullptr: the book does not know it
  const Policy* policy = nullptr;    // never nullptr
  std::string_view holidays;         // a defined holiday calendar, or empty
  std::vector<std::string> notes;    // how missing reference data was filled in
};

// A ticket's context as ContextFor built it.
struct ResolvedContext {
  TicketContext context;
  const Partner* partner = nullptr;  // nullptr: unknown partner (UTC)
  std::vector<std::string> notes;    // as PartnerRules::notes
};

// What a Replace changed: partners (by id) and products whose tickets may be
// judged differently now.
struct ReferenceChanges {
  std::set<std::string, std::less<>> partners;  // the record or certifications
  std::set<std::string, std::less<>> products;
  // The partners whose certifications changed (a subset of `partners`).
  std::set<std::string, std::less<>> certifications;
  bool empty() const { return partners.empty() && products.empty(); }
};

class ReferenceBook {
 public:
  ReferenceBook() = default;
  // Partners with the same id: the first is kept.
  ReferenceBook(std::vector<Partner> partners, std::vector<Certification> certifications,
                std::vector<Release> releases);

  // Replaces everything with `next`; returns what differs between the two.
  ReferenceChanges Replace(ReferenceBook next);

  // One record at a time. AddPartner keeps an existing partner of the same id
  // and returns false; SetPartner replaces it.
  bool AddPartner(Partner partner);
  void SetPartner(Partner partner);
  void AddCertification(Certification certification);
  void AddRelease(Release release);

  const Partner* FindPartner(std::string_view id) const;
  std::span<const Certification> CertificationsOf(std::string_view partner) const;
  std::span<const Release> ReleasesOf(std::string_view product) const;
  const std::map<std::string, Partner, std::less<>>& partners() const {
    return partners_;
  }
  // Partners named by certifications, known or not.
  std::vector<std::string> CertifiedPartnerIds() const;

  PartnerRules RulesFor(std::string_view partner, const Rules& rules) const;
  // The policy SanitizeHistory checks an `opened` naming `partner` against.
  PolicyOfPartner PolicyLookup(const Rules& rules) const;
  // The context of the ticket that `opened` (its valid opened event) starts.
  ResolvedContext ContextFor(const TicketEvent& opened, const Rules& rules) const;
  // One line per partner that names a policy or a holiday calendar the rules
  // do not define.
  std::vector<std::string> Problems(const Rules& rules) const;

 private:
  std::map<std::string, Partner, std::less<>> partners_;
  std::map<std::string, std::vector<Certification>, std::less<>> certifications_;
  std::map<std::string, std::vector<Release>, std::less<>> releases_;  // by product
};

}  // namespace slamon
