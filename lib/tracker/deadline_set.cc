#include "tracker/deadline_set.h"

#include <algorithm>

namespace slamon {
namespace {

// instant - base for instant >= base, computed without overflow.
uint64_t Distance(int64_t base, int64_t instant) {
  return static_cast<uint64_t>(instant) - static_cast<uint64_t>(base);
}

int64_t Plus(int64_t base, uint32_t offset) {
  return static_cast<int64_t>(static_cast<uint64_t>(base) + offset);
}

}  // namespace

size_t DeadlineSet::ChunkOf(int64_t instant) const {
  auto after = std::upper_bound(
      chunks_.begin(), chunks_.end(), instant,
      [](int64_t value, const Chunk& chunk) { return value < chunk.base; });
  return static_cast<size_t>(after - chunks_.begin()) - 1;  // wraps before the first
}

void DeadlineSet::Insert(int64_t instant) {
  ++size_;
  if (chunks_.empty() || instant < chunks_.front().base) {
    // A new earliest value: move the first chunk's base down to it if every
    // offset still fits, else give it a chunk of its own.
    if (!chunks_.empty()) {
      Chunk& first = chunks_.front();
      const uint64_t shift = Distance(instant, first.base);
      if (shift <= UINT32_MAX - first.offsets.back()) {
        for (uint32_t& offset : first.offsets) offset += static_cast<uint32_t>(shift);
        first.base = instant;
        AddTo(0, 0);
        return;
      }
    }
    chunks_.insert(chunks_.begin(), Chunk{instant, {0}, {1}});
    return;
  }
  const size_t i = ChunkOf(instant);
  const uint64_t distance = Distance(chunks_[i].base, instant);
  if (distance > UINT32_MAX) {
    // No value of this chunk is this large: the new value starts the next range.
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                   Chunk{instant, {0}, {1}});
    return;
  }
  const auto offset = static_cast<uint32_t>(distance);
  const Chunk& chunk = chunks_[i];
  if (i + 1 == chunks_.size() && chunk.offsets.size() >= kChunk &&
      offset > chunk.offsets.back()) {
    // Past the end of a full last chunk (deadlines mostly grow): leave it full.
    chunks_.push_back(Chunk{instant, {0}, {1}});
    return;
  }
  AddTo(i, offset);
}

void DeadlineSet::AddTo(size_t i, uint32_t offset) {
  Chunk& chunk = chunks_[i];
  auto after = std::upper_bound(chunk.offsets.begin(), chunk.offsets.end(), offset);
  const auto at = static_cast<size_t>(after - chunk.offsets.begin());
  if (at > 0 && chunk.offsets[at - 1] == offset && chunk.counts[at - 1] < kMaxCount) {
    ++chunk.counts[at - 1];
    return;
  }
  chunk.offsets.insert(after, offset);
  chunk.counts.insert(chunk.counts.begin() + static_cast<std::ptrdiff_t>(at), 1);
  if (chunk.offsets.size() > kChunk) Split(i);
}

void DeadlineSet::Split(size_t i) {
  const std::vector<uint32_t>& offsets = chunks_[i].offsets;
  const size_t middle = offsets.size() / 2;
  // The value boundary nearest the middle (entries of a value stay together);
  // only a value with over 65535 copies has more than one entry.
  size_t cut = 0;
  for (size_t step = 0; step <= middle && cut == 0; ++step) {
    if (middle + step < offsets.size() &&
        offsets[middle + step - 1] != offsets[middle + step]) {
      cut = middle + step;
    } else if (middle - step > 0 &&
               offsets[middle - step - 1] != offsets[middle - step]) {
      cut = middle - step;
    }
  }
  if (cut == 0) return;  // one value only: nothing to split
  Chunk& lower = chunks_[i];
  const uint32_t first = lower.offsets[cut];
  Chunk upper{Plus(lower.base, first), {}, {}};
  upper.offsets.reserve(lower.offsets.size() - cut);
  for (size_t k = cut; k < lower.offsets.size(); ++k)
    upper.offsets.push_back(lower.offsets[k] - first);
  upper.counts.assign(lower.counts.begin() + static_cast<std::ptrdiff_t>(cut),
                      lower.counts.end());
  lower.offsets.resize(cut);
  lower.counts.resize(cut);
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(upper));
}

bool DeadlineSet::Erase(int64_t instant) {
  if (chunks_.empty() || instant < chunks_.front().base) return false;
  const size_t i = ChunkOf(instant);
  Chunk& chunk = chunks_[i];
  const uint64_t distance = Distance(chunk.base, instant);
  if (distance > UINT32_MAX) return false;
  const auto offset = static_cast<uint32_t>(distance);
  auto after = std::upper_bound(chunk.offsets.begin(), chunk.offsets.end(), offset);
  const auto at = static_cast<size_t>(after - chunk.offsets.begin());
  if (at == 0 || chunk.offsets[at - 1] != offset) return false;
  --size_;
  if (--chunk.counts[at - 1] > 0) return true;
  chunk.offsets.erase(after - 1);
  chunk.counts.erase(chunk.counts.begin() + static_cast<std::ptrdiff_t>(at) - 1);
  if (chunk.offsets.empty())
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

std::optional<int64_t> DeadlineSet::Earliest() const {
  if (chunks_.empty()) return std::nullopt;
  return Plus(chunks_.front().base, chunks_.front().offsets.front());
}

size_t DeadlineSet::MemoryBytes() const {
  size_t bytes = sizeof(*this) + chunks_.capacity() * sizeof(Chunk);
  for (const Chunk& chunk : chunks_) {
    bytes += chunk.offsets.capacity() * sizeof(uint32_t) +
             chunk.counts.capacity() * sizeof(uint16_t);
  }
  return bytes;
}

}  // namespace slamon
