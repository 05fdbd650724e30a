#include "runtime/repeat_filter.h"

namespace slamon {

bool RepeatFilter::ShouldLog(std::string_view reason, TimePoint now) {
  if (last_logged_ && reason == last_reason_ && now - *last_logged_ < quiet_)
    return false;
  last_reason_ = std::string(reason);
  last_logged_ = now;
  return true;
}

}  // namespace slamon
