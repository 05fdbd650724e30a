// The slamon schema in PostgreSQL (docs/design.md §3), as numbered migrations.
//
// Each migration moves the schema from version N-1 to N and is applied once;
// `slamon.schema_version` records what was applied. The list only grows:
// a released migration is never edited, so any older database can be brought
// up to date. Pure data.
#pragma once

#include <span>
#include <string_view>

namespace slamon {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> Migrations();

// The channels the schema's triggers notify on commit.
inline constexpr std::string_view kEventsChannel = "slamon_events";
inline constexpr std::string_view kReferenceChannel = "slamon_reference";

}  // namespace slamon
