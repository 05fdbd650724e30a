// Partner: a service provider under contract, as the ticket database knows it.
#pragma once

#include <date/tz.h>

#include <string>

#include "instant/instant.h"

namespace slamon {

struct Partner {
  std::string id;
  std::string name;
  Instant contract_signed_at;
  const date::time_zone* zone = nullptr;  // nullptr: UTC
  std::string policy = "default";         // the name of a configured policy

  bool operator==(const Partner&) const = default;
};

}  // namespace slamon
