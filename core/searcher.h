// Searcher: answers SearchRequests from one tnohaku index (schema/index-format.md): one
// index folder, or a list of parts — local shards, replicas, remote shards tcp://HOST:PORT
// served by xapian-tcpsrv — searched as one database (core/database_set.h).
//
// A Searcher owns a Xapian::Database opened on the index folder's CURRENT stub (or on the
// list's parts), an Analyzer and a QueryBuilder. Xapian objects and the Analyzer are not
// thread-safe, so a Searcher serves ONE thread at a time: the server keeps a SearcherPool of them,
// sized to the cores, and each request borrows one.
//
// Generations: Refresh() notices that the indexer switched CURRENT to a new generation
// (or updated the current one) and reopens; the caller decides how often to call it.
// A call that meets Xapian::DatabaseModifiedError (or a generation removed under it)
// reopens and retries by itself, so a result may come from a newer generation than
// Info() said before the call (SearchResult::generation says which). When CURRENT names
// something unreadable, the searcher keeps serving what it has and Refresh() says why.
//
// Search, in short (details in query_builder.h, facets.h, highlight.h, spelling.h):
//   - q is words in every language's analysis, AND-ed, OR-ed when AND finds nothing; the
//     last word is also a prefix unless q ends with a space. Empty q browses. Two words
//     may also match as one compound, and synonyms (SearcherOptions::synonyms_path) as
//     the other expressions of their group; under an area filter local records weigh
//     more (query_builder.h). Relevance is Xapian's BM25 (over a large match set, of the
//     candidates that text_scorer.h finds term at a time: the same pages). Relevance
//     pages are reordered within blocks of ten ranks so that records named as typed
//     come first (name_match.h).
//   - sort: relevance (empty q: name), name (collation of request.lang), distance (needs
//     near), start_date (ascending, records without a start first), end_date (ascending,
//     open-ended last), updated (newest first, unknown last); ties always by id, so
//     pages concatenate to the full ordering.
//   - total is exact; facets are exact and disjunctive (facets.h), counted from the
//     revision's in-memory columns (column_search.h; built when a revision is opened,
//     shared by a pool) unless SearcherOptions::column_search is off or the index has
//     more than one part: then with Xapian's built-in match spies only, which remote
//     shards run. Both give the same results, and a list of shards gives exactly what
//     one index of the same records gives (tests/cluster/).
//   - Shards: spelling (did_you_mean, completions) comes from the side index, which the
//     remote backend cannot serve; near= is refused (kInvalidArgument) when some part is
//     matched out of process, as our distance filter and sort cannot run there. A remote
//     shard that goes away makes calls kUnavailable naming it ("shard tcp://…"); each
//     call then connects every part anew, so the searcher works again once it is back.
//   - did_you_mean: when every word together finds fewer than 3 records, the words the
//     index does not know are spelling-corrected; if the correction finds more it is
//     suggested, and when the query as typed found nothing (all words together), the
//     result IS the corrected query's (hits, total, facets) with did_you_mean set to it.
//
// Errors: Xapian exceptions never leave this module; they become a Status
// (kUnavailable when the index cannot be opened or read, kInvalidArgument for bad
// requests that slipped past the server's checks — sort=distance without near, a
// near point off the globe, a radius <= 0, offset + limit > 100000 — kInternal
// otherwise).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/database_set.h"
#include "core/search.h"
#include "core/status.h"
#include "core/text_scorer.h"
#include "core/vocab.h"

namespace tnohaku {

class ColumnStoreCache;

struct SearcherOptions {
    // The index: a folder holding CURRENT and gen-* folders, a shard set folder, or a
    // comma-separated list of parts (index folders, Xapian databases, tcp://HOST:PORT
    // remote shards), searched as one database (core/database_set.h).
    std::string index_dir;
    // The side index (spelling table) of a list whose shard set folder is not in it;
    // required for a list of several parts. Empty: none or the shard set's own.
    std::string side_dir;
    RemoteTimeouts remote;                    // for tcp:// parts
    std::shared_ptr<const Vocabulary> vocab;  // labels and hierarchies; shared, immutable
    AnalyzerOptions analyzer;
    // A synonyms file (core/synonyms.h, schema/synonyms/README.md); empty = none. Read at
    // Open (an error fails Open) and again by Refresh() when it changed.
    std::string synonyms_path;
    // Counting, totals and sorted pages from in-memory columns (core/column_search.h);
    // false: Xapian match passes with its built-in match spies only (what remote shards
    // can run). Both give the same results.
    bool column_search = true;
    // Relevance pages of large match sets: scored term at a time first to choose the
    // documents Xapian ranks (core/text_scorer.h). The same pages either way.
    TermScoring term_scoring = TermScoring::kWhenCheaper;
    // Shared by the searchers of a pool so that each revision's columns are built once;
    // null: the searcher makes its own.
    std::shared_ptr<ColumnStoreCache> column_cache;
};

struct Suggestion {
    std::string text;  // what to put in the search box
    std::string kind;  // "name" (a record's name) or "term" (an indexed word)
    std::string id;    // the record id, for kind "name"
};

// What answers depend on besides the request: two searchers with equal IndexInfo give
// the same answer to the same request (on the same day). ETags and the server's result
// cache are keyed by it.
struct IndexInfo {
    uint64_t generation = 0;
    uint64_t doc_count = 0;
    std::string created;    // ISO 8601 UTC
    std::string revision;   // every part's uuid:revision; changes with every commit
    uint64_t synonyms = 0;  // fingerprint of the synonyms in use (0 = none)
    // Some part is searched in another process (a remote shard): it may change or go
    // away without this searcher noticing before it asks, so its answers are not kept.
    bool out_of_process = false;
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
    // Reopens when the index changed since it was opened, and rereads the synonyms file
    // when it changed; cheap when nothing changed. A bad synonyms file is reported here
    // (file:line) while the previous synonyms stay in use.
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
