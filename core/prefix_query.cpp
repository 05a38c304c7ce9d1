// The last word typed as a prefix (as-you-type), the part of QueryBuilder (see
// core/query_builder.h) that expands it: to the terms that start with it, over the whole
// term database at once, and to the base forms of the written words it completes.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/query_builder.h"
#include "core/spelling.h"

namespace tnohaku {

Xapian::Query QueryBuilder::PrefixQuery(const std::string& pattern,
                                        const std::map<std::string, double>& present,
                                        const PrefixRule& rule) const {
    const Xapian::termcount limit = weights_.max_prefix_expansion;
    if (!terms_) {
        return Xapian::Query(Xapian::Query::OP_WILDCARD, pattern, limit,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }
    // What OP_WILDCARD would do, but over the whole database at once: Xapian expands a
    // wildcard in each sub-database (shard) by itself, each to its own most frequent terms.
    // Terms the query has elsewhere are left out too: an OP_SYNONYM holding a term that
    // also stands elsewhere in the query (e.g. in a synonym's alternative) crashes Xapian
    // 1.4.22's remote server on pages of some 50 results.
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    // Terms the word already matches are left out: a term twice under one OP_MAX makes
    // Xapian 1.4.22 crash on a database of several local parts (and it weighs enough).
    for (auto it = terms_->allterms_begin(pattern); it != terms_->allterms_end(pattern); ++it) {
        if (present.count(*it) || rule.elsewhere.count(*it)) continue;
        found.emplace_back(it.get_termfreq(), *it);
    }
    // Most frequent first; ties in the (alphabetical) order of the terms.
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    if (found.size() > limit) found.resize(limit);
    std::vector<Xapian::Query> terms;
    for (auto& [freq, term] : found) terms.emplace_back(std::move(term));
    if (terms.empty()) return Xapian::Query::MatchNothing;
    return Xapian::Query(rule.combiner, terms.begin(), terms.end());
}

Xapian::Query QueryBuilder::CompletionsQuery(const Xapian::Database& vocabulary,
                                             const QueryWord& word, Lang lang) {
    // Short prefixes complete to too much to mean anything.
    constexpr size_t kMinPrefix = 4;
    if (CodePoints(word.surface) < kMinPrefix) return {};
    QueryWord bases;
    bases.surface = word.surface;
    for (const std::string& written :
         SpellingCompletions(vocabulary, word.surface, weights_.max_completions)) {
        for (const QueryWord& w : Words(written)) {
            QueryWord whole = WholeOnly(w);
            for (size_t l = 0; l < whole.terms.size(); ++l) {
                for (Term& t : whole.terms[l]) {
                    auto& to = bases.terms[l];
                    if (std::find(to.begin(), to.end(), t) == to.end()) to.push_back(t);
                }
            }
        }
    }
    if (bases.terms == std::array<std::vector<Term>, 3>{}) return {};
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, WordQuery(bases, lang), weights_.prefix);
}

}  // namespace tnohaku
