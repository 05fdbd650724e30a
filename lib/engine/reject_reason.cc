#include "engine/reject_reason.h"

namespace slamon {

std::string_view ToString(RejectReason reason) {
  switch (reason) {
    case RejectReason::kUnknownKind:
      return "unknown_kind";
    case RejectReason::kBadField:
      return "bad_field";
    case RejectReason::kFuture:
      return "future";
    case RejectReason::kUnknownSeverity:
      return "unknown_severity";
    case RejectReason::kBeforeOpened:
      return "before_opened";
    case RejectReason::kDuplicateOpened:
      return "duplicate_opened";
    case RejectReason::kNoOpened:
      return "no_opened";
    case RejectReason::kBadIncidents:
      return "bad_incidents";
  }
  return "unknown";
}

}  // namespace slamon
