// PackedUints: unsigned values by docid (a facet column's combination ids, document
// lengths, sort ranks), in as few whole bytes as the largest needs: two while every value
// is below 65,536, three below 16,777,216, else four. At a million documents every facet
// column but the organisations' fits in two, and so do the lengths of records; a rank
// needs three. Built from plain values, then read-only; share freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace tnohaku {

class PackedUints {
  public:
    PackedUints() = default;
    // `values`, each below `bound`.
    PackedUints(std::vector<uint32_t> values, size_t bound) {
        if (bound <= kNarrowBound) {
            narrow_.assign(values.begin(), values.end());
        } else if (bound <= kTripleBound) {
            triple_.reserve(values.size() * 3);
            for (uint32_t v : values) {
                triple_.push_back(static_cast<uint8_t>(v));
                triple_.push_back(static_cast<uint8_t>(v >> 8));
                triple_.push_back(static_cast<uint8_t>(v >> 16));
            }
        } else {
            wide_ = std::move(values);
        }
    }
    uint32_t operator[](size_t docid) const {
        if (!narrow_.empty()) return narrow_[docid];
        if (!triple_.empty()) {
            const uint8_t* p = triple_.data() + docid * 3;
            return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16;
        }
        return wide_[docid];
    }
    size_t size() const { return narrow_.size() + triple_.size() / 3 + wide_.size(); }
    // The values at two or four bytes, for loops that read them straight; null at any
    // other width (three bytes are read through operator[]).
    const uint16_t* narrow() const { return narrow_.empty() ? nullptr : narrow_.data(); }
    const uint32_t* wide() const { return wide_.empty() ? nullptr : wide_.data(); }
    size_t MemoryBytes() const {
        return narrow_.size() * sizeof(uint16_t) + triple_.size() + wide_.size() * sizeof(uint32_t);
    }

  private:
    static constexpr size_t kNarrowBound = size_t{std::numeric_limits<uint16_t>::max()} + 1;
    static constexpr size_t kTripleBound = size_t{1} << 24;

    std::vector<uint16_t> narrow_;
    std::vector<uint8_t> triple_;  // little-endian, three bytes a value
    std::vector<uint32_t> wide_;
};

}  // namespace tnohaku
