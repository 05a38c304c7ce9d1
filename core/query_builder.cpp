#include "core/query_builder.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/index_format.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

// Queries of more words than this keep the first ones (a search box, not a document).
constexpr size_t kMaxWords = 32;

size_t LangIndex(Lang lang) {
    return static_cast<size_t>(lang);
}

// A query matching every document, made anew for each use. Never copy the static
// Xapian::Query::MatchAll here: its internals are reference counted without atomics
// (xapian/query.h says so), and the searchers of a pool build queries on several threads
// at once. Concurrent copies lose counts until one frees the static's internals while
// they are still in use: the crash of tnohaku-server under 64 connections
// (bench/analysis.md), reproduced with browse requests, where TSan reports the race on
// the count in Text(). MatchNothing has no internals and is safe to share.
Xapian::Query MatchAll() {
    return Xapian::Query(std::string());
}

Xapian::Query AnyOf(const std::vector<Xapian::Query>& queries) {
    if (queries.empty()) return Xapian::Query::MatchNothing;
    if (queries.size() == 1) return queries.front();
    return Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end());
}

Xapian::Query AllOf(const std::vector<Xapian::Query>& queries) {
    if (queries.empty()) return MatchAll();
    if (queries.size() == 1) return queries.front();
    return Xapian::Query(Xapian::Query::OP_AND, queries.begin(), queries.end());
}

// Alternatives (compounds of two words, synonyms) are looked for among the first words
// only: each one adds a way through the query, and the ways multiply.
constexpr size_t kMaxAlternativeWords = 6;

// Whether a query word and a word of a synonym expression are the same word: as written,
// or by a base form in some language.
bool SameWord(const QueryWord& a, const QueryWord& b) {
    if (a.surface == b.surface) return true;
    for (size_t l = 0; l < a.terms.size(); ++l) {
        for (const Term& x : a.terms[l]) {
            if (x.kind != TermKind::kWhole) continue;
            for (const Term& y : b.terms[l]) {
                if (y.kind == TermKind::kWhole && y.text == x.text) return true;
            }
        }
    }
    return false;
}

std::string Day(int32_t day) {
    return Xapian::sortable_serialise(static_cast<double>(day));
}

}  // namespace

std::string JoinWords(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        if (w.empty()) continue;
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Filters

Xapian::Query Filters::Prefer(const Xapian::Query& text) const {
    Xapian::Query base = text.empty() ? MatchAll() : text;
    if (preferred_.empty()) return base;
    // Each document matches one branch; the preferred ones' scores are scaled up.
    return Xapian::Query(Xapian::Query::OP_OR,
                         Xapian::Query(Xapian::Query::OP_AND_NOT, base, preferred_),
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                       Xapian::Query(Xapian::Query::OP_FILTER, base, preferred_),
                                       preferred_factor_));
}

Xapian::Query Filters::Apply(const Xapian::Query& text, std::optional<SearchFacet> without,
                             const std::vector<Xapian::Query>& extra) const {
    Xapian::Query base = Prefer(text);
    std::vector<Xapian::Query> keep = extra, remove;
    for (const Clause& c : clauses_) {
        if (without && c.facet == without) continue;
        (c.exclude ? remove : keep).push_back(c.query);
    }
    if (!keep.empty()) base = Xapian::Query(Xapian::Query::OP_FILTER, base, AllOf(keep));
    if (!remove.empty()) base = Xapian::Query(Xapian::Query::OP_AND_NOT, base, AnyOf(remove));
    return base;
}

bool Filters::Has(SearchFacet facet) const {
    return std::any_of(clauses_.begin(), clauses_.end(),
                       [&](const Clause& c) { return c.facet == facet; });
}

// ---------------------------------------------------------------------------------------
// QueryBuilder

QueryBuilder::QueryBuilder(Analyzer& analyzer, const Vocabulary& vocab, QueryWeights weights)
    : analyzer_(analyzer), vocab_(vocab), weights_(weights) {}

size_t QueryBuilder::CodePoints(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// A compound of two query words must match as that compound, not by its pieces, which
// the two words already match; a completion matches by its base forms.
QueryWord QueryBuilder::WholeOnly(const QueryWord& word) {
    QueryWord out;
    out.surface = word.surface;
    for (size_t l = 0; l < word.terms.size(); ++l) {
        for (const Term& t : word.terms[l]) {
            if (t.kind != TermKind::kWhole) continue;
            out.terms[l].push_back(t);
            out.terms[l].push_back({Analyzer::StripAccents(t.text), TermKind::kFolded});
        }
    }
    return out;
}

const char* QueryBuilder::FacetPrefix(SearchFacet facet) {
    switch (facet) {
        case SearchFacet::kArea:
            return fmt::kAreaRegionPrefix;
        case SearchFacet::kTargetGroup:
            return fmt::kTargetGroupPrefix;
        case SearchFacet::kTheme:
            return fmt::kThemePrefix;
        case SearchFacet::kServiceClass:
            return fmt::kServiceClassPrefix;
        case SearchFacet::kType:
            return fmt::kTypePrefix;
        case SearchFacet::kChannel:
            return fmt::kChannelPrefix;
        case SearchFacet::kServiceLanguage:
            return fmt::kServiceLanguagePrefix;
        case SearchFacet::kFunding:
            return fmt::kFundingPrefix;
        case SearchFacet::kOrganisation:
            return fmt::kOrganisationPrefix;
        case SearchFacet::kNational:
            return fmt::kNationalPrefix;
    }
    return "";
}

Xapian::valueno QueryBuilder::FacetSlot(SearchFacet facet) {
    switch (facet) {
        case SearchFacet::kArea:
            return fmt::kFacetAreaRegion;
        case SearchFacet::kTargetGroup:
            return fmt::kFacetTargetGroup;
        case SearchFacet::kTheme:
            return fmt::kFacetTheme;
        case SearchFacet::kServiceClass:
            return fmt::kFacetServiceClass;
        case SearchFacet::kType:
            return fmt::kFacetType;
        case SearchFacet::kChannel:
            return fmt::kFacetChannel;
        case SearchFacet::kServiceLanguage:
            return fmt::kFacetServiceLanguage;
        case SearchFacet::kFunding:
            return fmt::kFacetFunding;
        case SearchFacet::kOrganisation:
            return fmt::kFacetOrganisation;
        case SearchFacet::kNational:
            return fmt::kFacetNational;
    }
    return Xapian::BAD_VALUENO;
}

std::optional<Facet> QueryBuilder::VocabFacet(SearchFacet facet) {
    switch (facet) {
        case SearchFacet::kTargetGroup:
            return Facet::kTargetGroup;
        case SearchFacet::kTheme:
            return Facet::kTheme;
        case SearchFacet::kServiceClass:
            return Facet::kServiceClass;
        case SearchFacet::kType:
            return Facet::kType;
        case SearchFacet::kChannel:
            return Facet::kChannel;
        case SearchFacet::kServiceLanguage:
            return Facet::kServiceLanguage;
        case SearchFacet::kFunding:
            return Facet::kFunding;
        case SearchFacet::kArea:
        case SearchFacet::kOrganisation:
        case SearchFacet::kNational:
            return std::nullopt;
    }
    return std::nullopt;
}

std::vector<QueryWord> QueryBuilder::Words(std::string_view q) {
    std::vector<QueryWord> words;
    // Each language's analysis breaks the text into the same words, but a language may
    // keep a hyphenated compound whole where another splits it: words are the groups of
    // overlapping token spans.
    struct Span {
        uint32_t begin, end;
        size_t lang;
        Token token;
    };
    std::vector<Span> spans;
    for (Lang l : kAllLangs) {
        for (Token& t : analyzer_.AnalyzeQuery(q, l)) {
            if (t.terms.empty()) continue;
            spans.push_back({t.begin, t.end, LangIndex(l), std::move(t)});
        }
    }
    std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    uint32_t group_end = 0, widest = 0;
    for (Span& s : spans) {
        if (words.empty() || s.begin >= group_end) {
            if (words.size() == kMaxWords) break;
            words.emplace_back();
            widest = 0;
        }
        QueryWord& word = words.back();
        group_end = std::max(group_end, s.end);
        if (s.end - s.begin > widest) {
            widest = s.end - s.begin;
            word.surface = s.token.surface;
        }
        auto& terms = word.terms[s.lang];
        for (Term& t : s.token.terms) {
            if (std::find(terms.begin(), terms.end(), t) == terms.end())
                terms.push_back(std::move(t));
        }
    }
    return words;
}

TextQuery QueryBuilder::Text(std::string_view q, Lang lang, const Xapian::Database* vocabulary,
                             Xapian::Query::op prefix_combiner) {
    TextQuery out;
    out.words = Words(q);
    out.prefix_last = !out.words.empty() && !q.empty() &&
                      !std::isspace(static_cast<unsigned char>(q.back())) &&
                      CodePoints(out.words.back().surface) >= 2;
    std::vector<Xapian::Query> word_queries;
    for (const QueryWord& word : out.words) word_queries.push_back(WordQuery(word, lang));
    Xapian::Query completed;
    if (vocabulary && out.prefix_last)
        completed = CompletionsQuery(*vocabulary, out.words.back(), lang);
    const std::vector<Alternative> alternatives = Alternatives(out.words, lang);
    if (out.prefix_last) {
        // The last word as a prefix too, its completions leaving out terms that the rest of
        // the query has (see PrefixQuery).
        std::vector<Xapian::Query> rest(word_queries.begin(), word_queries.end() - 1);
        rest.push_back(completed);
        for (const Alternative& alt : alternatives) rest.push_back(alt.query);
        PrefixRule rule;
        rule.combiner = prefix_combiner;
        for (const Xapian::Query& q : rest)
            rule.elsewhere.insert(q.get_terms_begin(), q.get_terms_end());
        word_queries.back() = WordQuery(out.words.back(), lang, &rule);
    }
    if (!completed.empty()) {
        word_queries.back() = Xapian::Query(Xapian::Query::OP_OR, word_queries.back(), completed);
    }
    // all: from[i] matches the words from position i on, each word or an alternative
    // starting there (from[n] is empty: nothing left to match).
    std::vector<Xapian::Query> from(word_queries.size() + 1);
    auto Then = [](const Xapian::Query& head, const Xapian::Query& rest) {
        return rest.empty() ? head : Xapian::Query(Xapian::Query::OP_AND, head, rest);
    };
    for (size_t i = word_queries.size(); i-- > 0;) {
        std::vector<Xapian::Query> ways{Then(word_queries[i], from[i + 1])};
        for (const Alternative& alt : alternatives) {
            if (alt.begin == i) ways.push_back(Then(alt.query, from[alt.end]));
        }
        from[i] = AnyOf(ways);
    }
    out.all = word_queries.empty() ? MatchAll() : from.front();
    std::vector<Xapian::Query> any = word_queries;
    for (const Alternative& alt : alternatives) any.push_back(alt.query);
    out.any = any.empty() ? MatchAll() : AnyOf(any);
    return out;
}

std::vector<QueryBuilder::Alternative> QueryBuilder::Alternatives(
    const std::vector<QueryWord>& words, Lang lang) {
    std::vector<Alternative> out;
    const size_t n = std::min(words.size(), kMaxAlternativeWords);
    for (size_t i = 0; i + 1 < n; ++i) {
        const std::string& a = words[i].surface;
        const std::string& b = words[i + 1].surface;
        if (a.empty() || b.empty()) continue;
        std::vector<Xapian::Query> forms;
        for (const std::string& joined : {a + "-" + b, a + b}) {
            std::vector<QueryWord> one = Words(joined);
            if (one.size() == 1) forms.push_back(WordQuery(WholeOnly(one.front()), lang));
        }
        if (forms.empty()) continue;
        out.push_back(
            {i, i + 2,
             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, AnyOf(forms), weights_.joined)});
    }
    AddSynonymAlternatives(words, lang, out);
    return out;
}

Xapian::Query QueryBuilder::WordQuery(const QueryWord& word, Lang lang,
                                      const PrefixRule* prefix) const {
    // One subquery per language; a word counts once, by its best language (OP_MAX), so
    // that text indexed in every language (keywords, organisation names) does not count
    // three times.
    std::vector<Xapian::Query> per_lang;
    for (Lang l : kAllLangs) {
        std::map<std::string, double> weighted;  // prefixed term → scale (the highest asked)
        auto add = [&](std::string term, double w) {
            double& x = weighted[term];
            x = std::max(x, w);
        };
        const double boost = l == lang ? weights_.lang_boost : 1.0;
        const std::string whole = fmt::TextPrefix(l, TermKind::kWhole);
        const std::string part = fmt::TextPrefix(l, TermKind::kPart);
        const std::string folded = fmt::TextPrefix(l, TermKind::kFolded);
        for (const Term& t : word.terms[LangIndex(l)]) {
            switch (t.kind) {
                case TermKind::kWhole:
                    add(whole + t.text, weights_.whole * boost);
                    add(part + t.text, weights_.part * boost);
                    break;
                case TermKind::kPart:
                    add(part + t.text, weights_.part * boost);
                    add(whole + t.text, weights_.part * boost);
                    break;
                case TermKind::kFolded:
                    add(folded + t.text, weights_.folded * boost);
                    break;
            }
        }
        std::vector<Xapian::Query> subs;
        for (const auto& [term, w] : weighted) {
            subs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), w);
        }
        if (prefix && l == lang && !word.surface.empty()) {
            // As-you-type: words of the request's language starting with the last word.
            const double w = weights_.prefix * boost;
            for (const std::string& pattern :
                 {whole + word.surface, folded + Analyzer::StripAccents(word.surface)}) {
                subs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                  PrefixQuery(pattern, weighted, *prefix), w);
            }
        }
        if (!subs.empty()) per_lang.push_back(AnyOf(subs));
    }
    if (per_lang.empty()) return Xapian::Query::MatchNothing;
    if (per_lang.size() == 1) return per_lang.front();
    return Xapian::Query(Xapian::Query::OP_MAX, per_lang.begin(), per_lang.end());
}

void QueryBuilder::SetSynonyms(std::shared_ptr<const Synonyms> synonyms) {
    synonyms_ = std::move(synonyms);
    synonym_words_.clear();
    if (!synonyms_) return;
    for (const auto& group : synonyms_->groups()) {
        auto& analysed = synonym_words_.emplace_back();
        for (const std::string& expression : group) analysed.push_back(Words(expression));
    }
}

void QueryBuilder::AddSynonymAlternatives(const std::vector<QueryWord>& words, Lang lang,
                                          std::vector<Alternative>& out) const {
    const size_t n = std::min(words.size(), kMaxAlternativeWords);
    for (const auto& group : synonym_words_) {
        for (size_t e = 0; e < group.size(); ++e) {
            const std::vector<QueryWord>& expression = group[e];
            if (expression.empty() || expression.size() > n) continue;
            for (size_t i = 0; i + expression.size() <= n; ++i) {
                bool same = true;
                for (size_t k = 0; k < expression.size() && same; ++k)
                    same = SameWord(words[i + k], expression[k]);
                if (!same) continue;
                for (size_t other = 0; other < group.size(); ++other) {
                    if (other == e || group[other].empty()) continue;
                    out.push_back(
                        {i, i + expression.size(),
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                       ExpressionQuery(group[other], lang), weights_.synonym)});
                }
            }
        }
    }
}

Xapian::Query QueryBuilder::ExpressionQuery(const std::vector<QueryWord>& words, Lang lang) const {
    std::vector<Xapian::Query> all;
    for (const QueryWord& w : words) all.push_back(WordQuery(w, lang));
    return AllOf(all);
}

Xapian::Query QueryBuilder::AreaClause(const SearchRequest& request) const {
    std::vector<Xapian::Query> any;
    for (const auto& r : request.regions) any.emplace_back(fmt::kAreaRegionPrefix + r);
    for (const auto& m : request.municipalities) {
        any.emplace_back(fmt::kDeclaredMunicipalityPrefix + m);
        std::string region = vocab_.RegionOf(m);
        if (!region.empty()) any.emplace_back(fmt::kDeclaredRegionPrefix + region);
    }
    if (request.include_national) any.emplace_back(std::string(fmt::kNationalPrefix) + "national");
    return AnyOf(any);
}

Filters QueryBuilder::BuildFilters(const SearchRequest& request, int32_t today) const {
    Filters f;
    if (!request.regions.empty() || !request.municipalities.empty()) {
        f.clauses_.push_back({SearchFacet::kArea, AreaClause(request), false});
        if (weights_.local_boost > 1) {
            f.preferred_ = Xapian::Query(std::string(fmt::kNationalPrefix) + "local");
            f.preferred_factor_ = weights_.local_boost;
        }
    }
    for (const auto& [facet, codes] : request.filters) {
        if (facet == SearchFacet::kArea || facet == SearchFacet::kNational || codes.empty())
            continue;
        std::vector<Xapian::Query> any;
        for (const auto& code : codes) any.emplace_back(FacetPrefix(facet) + code);
        f.clauses_.push_back({facet, AnyOf(any), false});
    }
    if (!request.include_national) {
        f.clauses_.push_back({SearchFacet::kNational,
                              Xapian::Query(std::string(fmt::kNationalPrefix) + "local"), false});
    }
    // Periods: an absent start or end is open. Value range queries match only documents
    // that have the value, so "starts after the day" and "ended before the day" are
    // exclusions, and an absent value is never excluded.
    auto starts_after = [](int32_t day) {
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, fmt::kStartDay, Day(day + 1));
    };
    auto ended_before = [](int32_t day) {
        return Xapian::Query(Xapian::Query::OP_VALUE_LE, fmt::kEndDay, Day(day - 1));
    };
    if (request.active_on) {
        f.clauses_.push_back({std::nullopt, starts_after(*request.active_on), true});
        f.clauses_.push_back({std::nullopt, ended_before(*request.active_on), true});
    }
    switch (request.status) {
        case PeriodStatus::kAny:
            break;
        case PeriodStatus::kEnded:
            f.clauses_.push_back({std::nullopt, ended_before(today), false});
            break;
        case PeriodStatus::kUpcoming:
            f.clauses_.push_back({std::nullopt, starts_after(today), false});
            break;
        case PeriodStatus::kActive:
            f.clauses_.push_back({std::nullopt, starts_after(today), true});
            f.clauses_.push_back({std::nullopt, ended_before(today), true});
            break;
    }
    return f;
}

}  // namespace tnohaku
