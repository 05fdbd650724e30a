#include "quota/partner.h"

namespace slamon {

std::optional<CreditKind> ParseCredit(std::string_view text) {
  if (text == "quota") return CreditKind::kQuota;
  if (text == "paid") return CreditKind::kPaid;
  return std::nullopt;
}

std::string_view CreditName(CreditKind credit) {
  return credit == CreditKind::kPaid ? "paid" : "quota";
}

Status CheckHolidaysName(std::string_view name) {
  constexpr size_t kMaxLength = 200;
  if (name.size() > kMaxLength) return Status::Error("holidays is longer than 200 bytes");
  for (char c : name) {
    if (c < ' ' || c > '~')
      return Status::Error("holidays holds a character that is not printable ASCII");
  }
  return Status::Ok();
}

}  // namespace slamon
