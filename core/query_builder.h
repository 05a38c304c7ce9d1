// QueryBuilder: turns a SearchRequest into Xapian queries, following
// schema/index-format.md (the contract with core/document.cpp).
//
// Free text: every query word is analysed with each language's analysis
// (Analyzer::AnalyzeQuery) and matched in that language's fields, whole words weighing
// more than compound parts and those more than accent-free forms, the request's language
// boosted. Words are AND-ed (`TextQuery::all`); `TextQuery::any` OR-s them, the fallback
// when every word together finds nothing. The last word also matches as a prefix
// (as-you-type) unless the text ends with a space. Query syntax does not exist: every
// input is words, so no input is an error.
//
// Alternatives: a run of query words may also match as something else, OR-ed with the
// words themselves so that records matching both rank highest: two neighbouring words as
// one compound ("digi tuki" → digituki, "te palvelut" → te-palvelut), and the other
// expressions of a synonym group (core/synonyms.h) whose expression the words are
// ("maahan muuttaneet" → maahanmuuttaja, invandrare). Alternatives weigh less than the
// words as typed.
//
// Filters: one Clause per facet the request filters on (OR within a facet, AND across),
// plus the period and national clauses, kept apart so that facet counting can drop the
// clause of the facet it counts (disjunctive facets, core/facets.h).
//
// Thread safety: holds a reference to an Analyzer, so one QueryBuilder per thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/search.h"
#include "core/synonyms.h"
#include "core/vocab.h"

namespace tnohaku {

// One word of the query with its terms in each language (indexed like kAllLangs).
struct QueryWord {
    std::string surface;                     // case-folded, as typed
    std::array<std::vector<Term>, 3> terms;  // per language, no prefix
};

struct TextQuery {
    std::vector<QueryWord> words;
    bool prefix_last = false;  // the last word also matches as a prefix
    Xapian::Query all;         // every word (AND); MatchAll when there are no words
    Xapian::Query any;         // any word (OR)
    bool empty() const { return words.empty(); }
};

// How much each kind of match weighs (OP_SCALE_WEIGHT factors).
struct QueryWeights {
    double whole = 1.0;           // query word's base form = a word's base form
    double part = 0.4;            // ... = a part of a compound word
    double folded = 0.25;         // accent-free forms
    double prefix = 0.3;          // the last word as a prefix of a word (or of its written form)
    size_t max_completions = 10;  // written words a prefix is completed to, at most
    double lang_boost = 1.3;      // fields in the request's language
    // Scales the score of local records when the request filters by area: a service of
    // the chosen municipality or region outranks a national one that matches about as
    // well, not one that matches clearly better. 1 = no preference.
    double local_boost = 1.25;
    // Within a result page, a hit's score is multiplied by 1 + this × the share of its
    // name the query covers (core/name_match.h): the record named as typed comes first.
    double name_coverage = 0.1;
    double joined = 0.8;   // two neighbouring words as one compound
    double synonym = 0.5;  // another expression of the words' synonym group
    Xapian::termcount max_prefix_expansion = 50;
};

// The request's restrictions as separate clauses.
class Filters {
  public:
    // `text` (or every document when `text` is empty or MatchAll) restricted by every
    // clause except the one of `without`, and by each query of `extra`; documents the
    // request prefers (QueryWeights::local_boost) weigh a little more.
    Xapian::Query Apply(const Xapian::Query& text,
                        std::optional<SearchFacet> without = std::nullopt,
                        const std::vector<Xapian::Query>& extra = {}) const;
    // `text` (every document when empty) with the preferred documents' weights scaled
    // up, and no restriction: for a caller that restricts the matches itself.
    Xapian::Query Prefer(const Xapian::Query& text) const;
    // Whether the request restricts this facet (kNational: national records excluded).
    bool Has(SearchFacet facet) const;
    // The documents Prefer scales up (empty query: none), and by how much.
    const Xapian::Query& preferred() const { return preferred_; }
    double preferred_factor() const { return preferred_factor_; }

    // One restriction: a document must match `query` (with `exclude`: must not).
    struct Clause {
        std::optional<SearchFacet> facet;  // none for period clauses
        Xapian::Query query;
        bool exclude = false;  // documents matching `query` are removed
    };
    const std::vector<Clause>& clauses() const { return clauses_; }

  private:
    friend class QueryBuilder;
    std::vector<Clause> clauses_;
    // Documents whose scores are scaled by preferred_factor_ (local ones under an area
    // filter); empty = none.
    Xapian::Query preferred_;
    double preferred_factor_ = 1;
};

class QueryBuilder {
  public:
    // `analyzer` and `vocab` must outlive the builder.
    QueryBuilder(Analyzer& analyzer, const Vocabulary& vocab, QueryWeights weights = {});

    // With `vocabulary` (the index being searched), the last word typed as a prefix also
    // matches the base forms of the written words it completes (core/spelling.h:
    // SpellingCompletions), so that "omaishoid" finds omaishoito.
    // `prefix_combiner`: how the completions of the last word typed combine — OP_SYNONYM
    // (as one word; searching) or OP_OR (each its own weight: over shards exactly as in
    // one index, where Xapian estimates an OP_SYNONYM's frequency in each shard apart).
    TextQuery Text(std::string_view q, Lang lang, const Xapian::Database* vocabulary = nullptr,
                   Xapian::Query::op prefix_combiner = Xapian::Query::OP_SYNONYM);
    // Builds the clauses of `request`. `today` (a serial day) anchors status=.
    Filters BuildFilters(const SearchRequest& request, int32_t today) const;

    // The boolean term prefix and value slot of a facet (kArea: the region membership).
    static const char* FacetPrefix(SearchFacet facet);
    static Xapian::valueno FacetSlot(SearchFacet facet);
    // The Vocabulary facet of a search facet (kOrganisation, kNational, kArea have none).
    static std::optional<Facet> VocabFacet(SearchFacet facet);

    const QueryWeights& weights() const { return weights_; }

    // The database whose terms a prefix (the last word typed) expands to, its most
    // frequent ones first (QueryWeights::max_prefix_expansion), the same for one index
    // and for a set of shards; null (the default): Xapian's OP_WILDCARD, which expands in
    // each shard by itself. Must outlive its use; the Searcher sets its own database.
    void SetTermDatabase(const Xapian::Database* terms) { terms_ = terms; }

    // Synonyms for the queries built from now on (null or empty: none). Analyses every
    // expression once, here.
    void SetSynonyms(std::shared_ptr<const Synonyms> synonyms);

  private:
    struct Alternative {
        size_t begin = 0, end = 0;  // the query words [begin, end) it stands for
        Xapian::Query query;
    };
    std::vector<QueryWord> Words(std::string_view q);
    // The word with its base forms only (and their accent-free forms).
    static QueryWord WholeOnly(const QueryWord& word);
    static size_t CodePoints(std::string_view utf8);
    std::vector<Alternative> Alternatives(const std::vector<QueryWord>& words, Lang lang);
    void AddSynonymAlternatives(const std::vector<QueryWord>& words, Lang lang,
                                std::vector<Alternative>& out) const;
    // How the last word typed also matches as a prefix.
    struct PrefixRule {
        std::set<std::string> elsewhere;  // terms the rest of the query has: left out
        Xapian::Query::op combiner = Xapian::Query::OP_SYNONYM;
    };
    // `prefix`: null, or the word is also a prefix by this rule.
    Xapian::Query WordQuery(const QueryWord& word, Lang lang,
                            const PrefixRule* prefix = nullptr) const;
    // The last word typed as a prefix (core/prefix_query.cpp). PrefixQuery: the terms that
    // start with `pattern`, the most frequent first; over the term database
    // (SetTermDatabase) without the word's own (`present`) and `rule.elsewhere`.
    // CompletionsQuery: the base forms of the written words the word completes to (empty
    // when none).
    Xapian::Query PrefixQuery(const std::string& pattern,
                              const std::map<std::string, double>& present,
                              const PrefixRule& rule) const;
    Xapian::Query CompletionsQuery(const Xapian::Database& vocabulary, const QueryWord& word,
                                   Lang lang);
    Xapian::Query ExpressionQuery(const std::vector<QueryWord>& words, Lang lang) const;
    Xapian::Query AreaClause(const SearchRequest& request) const;

    Analyzer& analyzer_;
    const Vocabulary& vocab_;
    QueryWeights weights_;
    std::shared_ptr<const Synonyms> synonyms_;
    const Xapian::Database* terms_ = nullptr;
    // Per group, per expression, its analysed words.
    std::vector<std::vector<std::vector<QueryWord>>> synonym_words_;
};

// The query words joined by spaces (what did_you_mean shows).
std::string JoinWords(const std::vector<std::string>& words);

}  // namespace tnohaku
