// TextScorer: Xapian's BM25 weights of a text query, computed term at a time over the
// members of a large match set, to find the few documents Xapian then ranks exactly.
//
// Why: Xapian evaluates a query a document at a time. Driven by a match set of tens of
// thousands of documents (a short prefix such as "ty" matches nearly every record), it
// checks every leaf of a tree of some 100 terms at every member: about 117 M instructions
// for one such request at 100k records (bench/analysis.md §0). Reading each term's
// postings once, block by block of docids, does the same arithmetic in a fraction of the
// time. The sums are not the ranking, though: their order of addition is not Xapian's,
// so they may differ from its weights in the last bits. They only choose the candidates,
// every member whose sum comes within a relative 1e-9 of the want-th best, and Xapian
// ranks those (core/search_run.cpp): the page is the one Xapian gives over the whole set.
//
// What it knows of Xapian 1.4.22: BM25Weight with its default parameters (k1 1, k2 0,
// k3 1, b 0.5, min_normlen 0.5); the operators OR, AND, MAX, SCALE_WEIGHT and SYNONYM
// (over terms, its frequency estimated as Xapian's OR tree estimates it); terms of wqf
// 1; MatchNothing. Compile refuses any other query (nullopt), and the caller ranks with
// Xapian alone. tests/core/text_scorer_test.cpp checks the sums against Xapian's weights.
// Xapian::Query has no accessor for an OP_SCALE_WEIGHT factor; its description prints it
// first, in full precision ("%.20g"), and that is where Compile reads it.
//
// Ownership and threads: a TextScorer refers to the Database it was compiled for (which
// must outlive it) and reads it when scoring, so it serves one thread, like the Database.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/doc_set.h"
#include "core/packed_uints.h"

namespace tnohaku {

// Whether relevance passes score term at a time first (TextScorer) to narrow the
// documents Xapian ranks: where a cost estimate says it is cheaper (the default), never,
// or wherever the query allows. All three give the same pages.
enum class TermScoring { kWhenCheaper, kNever, kAlways };

class TextScorer {
  public:
    // The scorer of `query` over `db` (one local database: its statistics are the whole
    // collection's), or nullopt when the query holds something it does not evaluate.
    static std::optional<TextScorer> Compile(const Xapian::Database& db,
                                             const Xapian::Query& query);

    // What scoring costs: the postings of the query's terms (each is read once).
    uint64_t postings() const { return postings_; }
    size_t terms() const { return terms_; }  // terms in the database, each counted once per leaf

    // What Candidates and ForEachWeight read: the documents to weigh and every document's
    // length by docid (ColumnStore::DocLengths; `lengths->size()` >= `within->size()`).
    struct Input {
        const DocSet* within = nullptr;
        const PackedUints* lengths = nullptr;
    };

    // The members of `within` that may be among its `want` best by Xapian's weights of
    // the query (every match when there are at most `want`): a superset of the best.
    DocSet Candidates(const Input& input, size_t want) const;

    // The same for several disjoint groups of `within`'s members in one walk over the
    // postings (a request ranks the documents it prefers apart from the others): for
    // each group, its members that may be among its `want` best. A member of no group
    // is weighed and left out. When `matches` is not null (a DocSet of `within`'s size),
    // every member of `within` that the query matches is added to it: the walk reads all
    // of the query's postings anyway, so the match set comes at the cost of one bit each.
    struct Group {
        const DocSet* members = nullptr;
        size_t want = 0;
    };
    std::vector<DocSet> Candidates(const Input& input, const std::vector<Group>& groups,
                                   DocSet* matches = nullptr) const;

    // Calls f(docid, weight) for every member of `within` that the query matches, in
    // docid order; `weight` is Xapian's up to rounding in the last bits.
    void ForEachWeight(const Input& input, const std::function<void(uint32_t, double)>& f) const;

  private:
    enum class Op : uint8_t { kNothing, kTerm, kOr, kAnd, kMax, kSynonym };
    struct Node {
        Op op = Op::kNothing;
        std::string term;               // kTerm
        Xapian::doccount termfreq = 0;  // kTerm
        double termweight = 0;          // kTerm, kSynonym: BM25's term weight, factors included
        std::vector<uint32_t> children;
    };
    class Pass;  // one walk over the docids (text_scorer.cpp)

    explicit TextScorer(const Xapian::Database& db);
    // Adds the node of `query` weighted by `factor`; false if it cannot be evaluated.
    bool Add(const Xapian::Query& query, double factor, uint32_t& index);
    bool AddMaxChild(const Xapian::Query& query, double factor, std::vector<uint32_t>& children);
    bool AddSynonym(const Xapian::Query& query, double factor, uint32_t& index);
    Node TermNode(std::string term, double factor);
    uint32_t AddNode(Node node);
    double TermWeight(double termfreq, double factor) const;

    const Xapian::Database* db_;
    double doccount_ = 0;
    double inverse_avlength_ = 0;  // 0 when every document is empty
    std::vector<Node> nodes_;
    uint32_t root_ = 0;
    uint64_t postings_ = 0;
    size_t terms_ = 0;
};

}  // namespace tnohaku
