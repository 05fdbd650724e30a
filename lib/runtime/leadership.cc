#include "runtime/leadership.h"

namespace slamon {

void LeaderLease::Record(const LeaderCheck& check) {
  switch (check.answer) {
    case LeaderCheck::Answer::kHolds:
      // A lease that ran out is a new term: wait out a former leader's.
      if (!holds_ || check.asked_at >= confirmed_until_) {
        sending_from_ = check.asked_at + lease_;
      }
      holds_ = true;
      if (check.asked_at + lease_ > confirmed_until_) {
        confirmed_until_ = check.asked_at + lease_;
      }
      break;
    case LeaderCheck::Answer::kOther:
      holds_ = false;
      confirmed_until_ = {};
      break;
    case LeaderCheck::Answer::kUnknown:
      break;  // the lease runs out by itself
  }
}

bool LeaderLease::Sending(TimePoint now) const {
  return holds_ && now >= sending_from_ && now < confirmed_until_;
}

}  // namespace slamon
