// Searcher: answers SearchRequests from one tnohaku index (schema/index-format.md).
//
// A Searcher owns a Xapian::Database opened on the index folder's CURRENT stub, an
// Analyzer and a QueryBuilder. Xapian objects and the Analyzer are not thread-safe, so a
// Searcher serves ONE thread at a time: the server keeps a SearcherPool of them, sized to
// the cores, and each request borrows one.
//
// Generations: Refresh() notices that the indexer switched CURRENT to a new generation
// (or updated the current one) and reopens; a search that meets
// Xapian::DatabaseModifiedError reopens and retries once by itself.
//
// Errors: Xapian exceptions never leave this module; they become a Status
// (kUnavailable when the index cannot be opened or read, kInvalidArgument for bad
// requests that slipped past the server's checks, kInternal otherwise).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/search.h"
#include "core/status.h"
#include "core/vocab.h"

namespace tnohaku {

struct SearcherOptions {
    std::string index_dir;                    // the folder holding CURRENT and gen-* folders
    std::shared_ptr<const Vocabulary> vocab;  // labels and hierarchies; shared, immutable
    AnalyzerOptions analyzer;
};

struct Suggestion {
    std::string text;   // what to put in the search box
    std::string kind;   // "name" (a record's name) or "term" (an indexed word)
    std::string id;     // the record id, for kind "name"
};

struct IndexInfo {
    uint64_t generation = 0;
    uint64_t doc_count = 0;
    std::string created;  // ISO 8601 UTC
};

class Searcher {
public:
    // Opens the current generation. kUnavailable with a clear message when the folder,
    // its CURRENT stub or the database is missing or unreadable, or its format version
    // is not the one this build reads.
    static Result<std::unique_ptr<Searcher>> Open(const SearcherOptions& options);
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    Result<SearchResult> Search(const SearchRequest& request);
    // The stored record; kNotFound when no record has this id.
    Result<Record> Get(const std::string& id);
    // As-you-type completions: record names starting with the typed words, then indexed
    // words completing the last one; at most `limit`.
    Result<std::vector<Suggestion>> Suggest(const std::string& prefix, Lang lang, size_t limit);
    // Reopens when the index changed since it was opened; cheap when nothing changed.
    Status Refresh();
    IndexInfo Info() const;

private:
    struct Impl;
    explicit Searcher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// A fixed set of Searchers shared by request threads. Borrow() blocks while all are in use
// (the wait is bounded by `timeout`, after which it answers kUnavailable).
class SearcherPool {
public:
    static Result<std::unique_ptr<SearcherPool>> Open(const SearcherOptions& options, size_t size);

    // Returned to the pool when the Lease is destroyed.
    class Lease {
    public:
        Lease(SearcherPool* pool, std::unique_ptr<Searcher> searcher);
        ~Lease();
        Lease(Lease&&) noexcept = default;
        Searcher& operator*() { return *searcher_; }
        Searcher* operator->() { return searcher_.get(); }

    private:
        SearcherPool* pool_;
        std::unique_ptr<Searcher> searcher_;
    };
    Result<Lease> Borrow(std::chrono::milliseconds timeout);
    size_t size() const { return size_; }

private:
    void Return(std::unique_ptr<Searcher> searcher);
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Searcher>> idle_;
    size_t size_ = 0;
};

}  // namespace tnohaku
