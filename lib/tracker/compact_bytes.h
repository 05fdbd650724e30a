// CompactBytes<N>: a byte string that takes N bytes: inline when it is at most
// N - 1 bytes long, else on the heap (the N bytes then hold a pointer and the
// length). What the tracker keeps per ticket (its id, its events) is mostly a
// few dozen bytes, so most tickets need no allocation at all.
//
// Ownership: the heap block is owned; the type moves, it does not copy.
// Invariant: the last byte is the inline length (0..N-1) or kOnHeap. A heap
// block holds Capacity(length) bytes: the length rounded up to what the
// allocator hands out anyway, so a string that grows a little often fits.
// Not thread-safe (a plain value).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace slamon {

template <size_t N>
class CompactBytes {
  static_assert(N >= 16 && N <= 128, "room for a pointer, a length and the tag byte");

 public:
  static constexpr size_t kInline = N - 1;

  CompactBytes() { bytes_[N - 1] = 0; }
  ~CompactBytes() { FreeHeap(); }
  CompactBytes(const CompactBytes&) = delete;
  CompactBytes& operator=(const CompactBytes&) = delete;
  CompactBytes(CompactBytes&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, N);
    other.bytes_[N - 1] = 0;
  }
  CompactBytes& operator=(CompactBytes&& other) noexcept {
    if (this != &other) {
      FreeHeap();
      std::memcpy(bytes_, other.bytes_, N);
      other.bytes_[N - 1] = 0;
    }
    return *this;
  }

  bool OnHeap() const { return bytes_[N - 1] == kOnHeap; }
  size_t size() const { return OnHeap() ? HeapSize() : bytes_[N - 1]; }
  bool empty() const { return size() == 0; }
  const uint8_t* data() const { return OnHeap() ? HeapData() : bytes_; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data()), size()};
  }
  // Heap bytes held besides the N inline ones.
  size_t HeapBytes() const { return OnHeap() ? Capacity(HeapSize()) : 0; }

  // Makes room for `n` bytes and returns where to write them; the previous
  // contents are lost. Throws std::length_error past 4 GiB.
  uint8_t* Reset(size_t n) {
    if (n <= kInline) {
      FreeHeap();
      bytes_[N - 1] = static_cast<uint8_t>(n);
      return bytes_;
    }
    if (n > UINT32_MAX) throw std::length_error("CompactBytes: too long");
    if (!OnHeap() || Capacity(HeapSize()) < n) {
      auto block = std::make_unique_for_overwrite<uint8_t[]>(Capacity(n));
      FreeHeap();
      SetHeapData(block.release());
    }
    const auto length = static_cast<uint32_t>(n);
    std::memcpy(bytes_ + sizeof(uint8_t*), &length, sizeof length);
    return HeapData();
  }

  // `text` must not point into this string.
  void Assign(std::string_view text) {
    uint8_t* to = Reset(text.size());
    if (!text.empty()) std::memcpy(to, text.data(), text.size());
  }

  void Clear() { Reset(0); }

 private:
  static constexpr uint8_t kOnHeap = 0xff;

  // glibc hands out chunks of 16k + 8 usable bytes: use them all.
  static size_t Capacity(size_t n) { return ((n + 8 + 15) & ~size_t{15}) - 8; }
  uint8_t* HeapData() const {
    uint8_t* block;
    std::memcpy(&block, bytes_, sizeof block);
    return block;
  }
  void SetHeapData(uint8_t* block) {
    std::memcpy(bytes_, &block, sizeof block);
    bytes_[N - 1] = kOnHeap;
  }
  uint32_t HeapSize() const {
    uint32_t length;
    std::memcpy(&length, bytes_ + sizeof(uint8_t*), sizeof length);
    return length;
  }
  void FreeHeap() {
    if (OnHeap()) {
      delete[] HeapData();
      bytes_[N - 1] = 0;
    }
  }

  alignas(8) uint8_t bytes_[N];
};

}  // namespace slamon
