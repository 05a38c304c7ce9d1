// PackedUints: unsigned values by docid (a facet column's combination ids, document
// lengths), two bytes each while every value is below 65,536, else four: at a million
// documents every facet column but the organisations' fits in two, and so do the lengths
// of records. Built from plain values, then read-only; share freely.
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
        if (bound > size_t{std::numeric_limits<uint16_t>::max()} + 1) {
            wide_ = std::move(values);
        } else {
            narrow_.assign(values.begin(), values.end());
        }
    }
    uint32_t operator[](size_t docid) const {
        return wide_.empty() ? narrow_[docid] : wide_[docid];
    }
    size_t size() const { return wide_.empty() ? narrow_.size() : wide_.size(); }
    // Exactly one is non-null (unless empty): the values at their width.
    const uint16_t* narrow() const { return narrow_.empty() ? nullptr : narrow_.data(); }
    const uint32_t* wide() const { return wide_.empty() ? nullptr : wide_.data(); }
    size_t MemoryBytes() const {
        return narrow_.size() * sizeof(uint16_t) + wide_.size() * sizeof(uint32_t);
    }

  private:
    std::vector<uint16_t> narrow_;
    std::vector<uint32_t> wide_;
};

}  // namespace tnohaku
