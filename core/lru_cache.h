// LruCache: a thread-safe least-recently-used cache of immutable values by string key,
// bounded in bytes. Used for the column search's docid sets (core/column_store.h) and
// the server's search results (server/routes.h: Api).
//
// Values are shared: Find hands out a shared_ptr, so an entry evicted while a caller
// still reads it stays alive until the caller lets go. The byte size of an entry is what
// the caller says it is (plus the key); an entry larger than the whole budget is not
// kept. A budget of 0 keeps nothing.
//
// Thread safety: every member function may be called from any thread (one mutex).
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tnohaku {

template <typename V>
class LruCache {
  public:
    explicit LruCache(size_t budget_bytes) : budget_(budget_bytes) {}
    LruCache(const LruCache&) = delete;
    LruCache& operator=(const LruCache&) = delete;

    // The value cached under `key` (now the most recently used), or null.
    std::shared_ptr<const V> Find(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->value;
    }

    // Whether a value is cached under `key` (its recency unchanged).
    bool Contains(const std::string& key) const {
        std::lock_guard lock(mutex_);
        return index_.count(key) != 0;
    }
    // Keeps `value` under `key` unless the key is cached already, evicting the least
    // recently used entries beyond the budget.
    void Insert(const std::string& key, std::shared_ptr<const V> value, size_t value_bytes) {
        const size_t bytes = value_bytes + key.size();
        if (bytes > budget_) return;
        std::lock_guard lock(mutex_);
        if (index_.count(key)) return;
        order_.push_front({key, std::move(value), bytes});
        index_[key] = order_.begin();
        bytes_ += bytes;
        while (bytes_ > budget_ && !order_.empty()) {
            const Entry& last = order_.back();
            bytes_ -= last.bytes;
            index_.erase(last.key);
            order_.pop_back();
        }
    }

    size_t bytes() const {
        std::lock_guard lock(mutex_);
        return bytes_;
    }

  private:
    struct Entry {
        std::string key;
        std::shared_ptr<const V> value;
        size_t bytes;
    };
    mutable std::mutex mutex_;
    const size_t budget_;
    size_t bytes_ = 0;
    std::list<Entry> order_;  // most recently used first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace tnohaku
