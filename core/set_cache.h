// SetCache: the column search's docid sets of one database revision, kept by key (a word,
// a filter clause; core/column_search.h) within a byte budget, least recently used first
// out.
//
// Most cached sets are small next to the database (a municipality, an organisation, a
// rare word): such a set is kept as its sorted docids, 4 bytes a member, and rebuilt as a
// bitset when found; a set of more than one member in 64 documents stays a bitset and is
// shared as it is. At 1M documents a bitset is 125 KiB, so the budget holds many times
// more of the small sets than it would as bitsets.
//
// Thread safety: every member function may be called from any thread (LruCache locks).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/doc_set.h"
#include "core/lru_cache.h"

namespace tnohaku {

class SetCache {
  public:
    explicit SetCache(size_t budget_bytes) : entries_(budget_bytes) {}

    // The set kept under `key`, or null.
    std::shared_ptr<const DocSet> Find(const std::string& key);
    // Whether a set is kept under `key` (found or not, nothing is rebuilt).
    bool Contains(const std::string& key) const { return entries_.Contains(key); }
    // Keeps `set` under `key` (a set already kept there stays).
    void Insert(const std::string& key, std::shared_ptr<const DocSet> set);
    // Bytes held by the entries (keys included).
    size_t bytes() const { return entries_.bytes(); }

  private:
    struct Entry {
        std::shared_ptr<const DocSet> bitset;  // dense sets
        std::vector<uint32_t> members;         // sparse sets, ascending
        size_t size = 0;                       // the set's DocSet::size()
        size_t MemoryBytes() const {
            return bitset ? bitset->MemoryBytes() : members.size() * sizeof(uint32_t);
        }
    };
    LruCache<Entry> entries_;
};

}  // namespace tnohaku
