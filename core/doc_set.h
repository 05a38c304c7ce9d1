// DocSet: a set of Xapian document ids as a plain bitset over 0..size-1.
//
// The column search (core/column_search.h) turns every part of a request into one of
// these and combines them with word-wide AND / OR / AND-NOT, which for the sizes we serve
// (up to a few million documents: 125 KiB per set per million) is much faster than asking
// Xapian to match documents one by one. Sets of one search have the same size (the
// database's last docid + 1); combining sets of different sizes is a programming error.
//
// Thread safety: a const DocSet may be read by many threads; writes need one owner.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tnohaku {

class DocSet {
  public:
    DocSet() = default;
    // An empty set able to hold docids 0..size-1.
    explicit DocSet(size_t size) : size_(size), words_((size + 63) / 64, 0) {}

    size_t size() const { return size_; }
    void Add(uint32_t docid) { words_[docid >> 6] |= uint64_t{1} << (docid & 63); }
    bool Contains(uint32_t docid) const {
        return docid < size_ && (words_[docid >> 6] >> (docid & 63) & 1) != 0;
    }
    // Number of members.
    uint64_t Count() const {
        uint64_t n = 0;
        for (uint64_t w : words_) n += static_cast<uint64_t>(std::popcount(w));
        return n;
    }
    bool Empty() const {
        for (uint64_t w : words_)
            if (w) return false;
        return true;
    }

    DocSet& operator&=(const DocSet& other) {
        for (size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
        return *this;
    }
    DocSet& operator|=(const DocSet& other) {
        for (size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
        return *this;
    }
    // Removes the members of `other`.
    DocSet& Subtract(const DocSet& other) {
        for (size_t i = 0; i < words_.size(); ++i) words_[i] &= ~other.words_[i];
        return *this;
    }

    // The first member >= docid, or size() when there is none.
    uint32_t NextFrom(uint32_t docid) const {
        if (docid >= size_) return static_cast<uint32_t>(size_);
        size_t i = docid >> 6;
        uint64_t w = words_[i] & (~uint64_t{0} << (docid & 63));
        while (w == 0) {
            if (++i == words_.size()) return static_cast<uint32_t>(size_);
            w = words_[i];
        }
        return static_cast<uint32_t>(i * 64 + static_cast<size_t>(std::countr_zero(w)));
    }

    // Calls f(docid) for every member, in ascending order.
    template <typename F>
    void ForEach(F&& f) const {
        for (size_t i = 0; i < words_.size(); ++i) {
            for (uint64_t w = words_[i]; w != 0; w &= w - 1) {
                f(static_cast<uint32_t>(i * 64 + static_cast<size_t>(std::countr_zero(w))));
            }
        }
    }

    // Calls f(docid) for every member that `other` lacks, in ascending order.
    template <typename F>
    void ForEachNotIn(const DocSet& other, F&& f) const {
        for (size_t i = 0; i < words_.size(); ++i) {
            for (uint64_t w = words_[i] & ~other.words_[i]; w != 0; w &= w - 1) {
                f(static_cast<uint32_t>(i * 64 + static_cast<size_t>(std::countr_zero(w))));
            }
        }
    }

    // Bytes held, for cache budgets.
    size_t MemoryBytes() const { return words_.size() * sizeof(uint64_t); }
    bool operator==(const DocSet&) const = default;

  private:
    size_t size_ = 0;
    std::vector<uint64_t> words_;
};

inline DocSet operator&(DocSet a, const DocSet& b) {
    return a &= b;
}

}  // namespace tnohaku
