#include "core/set_cache.h"

namespace tnohaku {

std::shared_ptr<const DocSet> SetCache::Find(const std::string& key) {
    std::shared_ptr<const Entry> entry = entries_.Find(key);
    if (!entry) return nullptr;
    if (entry->bitset) return entry->bitset;
    auto set = std::make_shared<DocSet>(entry->size);
    for (uint32_t d : entry->members) set->Add(d);
    return set;
}

void SetCache::Insert(const std::string& key, std::shared_ptr<const DocSet> set) {
    Entry entry;
    entry.size = set->size();
    // Kept as docids when they take at most half the bitset's bytes: one member in 64
    // documents or fewer.
    const uint64_t count = set->Count();
    if (count * sizeof(uint32_t) * 2 <= set->MemoryBytes()) {
        entry.members.reserve(count);
        set->ForEach([&](uint32_t d) { entry.members.push_back(d); });
    } else {
        entry.bitset = std::move(set);
    }
    const size_t bytes = entry.MemoryBytes();
    entries_.Insert(key, std::make_shared<const Entry>(std::move(entry)), bytes);
}

}  // namespace tnohaku
