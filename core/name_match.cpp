#include "core/name_match.h"

#include <algorithm>

namespace tnohaku {

namespace {

// How well a word of a name is one of the query's words: 1, ½ or 0.
double WordMatch(const Token& name_word, const TextQuery& query, Lang lang) {
    const size_t l = static_cast<size_t>(lang);
    double best = 0;
    for (size_t i = 0; i < query.words.size(); ++i) {
        const QueryWord& word = query.words[i];
        for (const Term& q : word.terms[l]) {
            for (const Term& n : name_word.terms) {
                if (q.text != n.text) continue;
                if (q.kind == TermKind::kWhole && n.kind == TermKind::kWhole) return 1;
                if (q.kind == TermKind::kFolded && n.kind != TermKind::kPart) {
                    best = std::max(best, 1.0);  // typed without accents: as good
                } else {
                    best = std::max(best, 0.5);
                }
            }
        }
        const bool last_prefix = query.prefix_last && i + 1 == query.words.size();
        if (last_prefix && !word.surface.empty() &&
            name_word.surface.compare(0, word.surface.size(), word.surface) == 0) {
            best = std::max(best, 0.5);
        }
    }
    return best;
}

// The record's name in `lang`, else in the first language it has one; its language.
std::pair<std::string_view, Lang> NameOf(const Record& record, Lang lang) {
    if (!record.name[lang].empty()) return {record.name[lang], lang};
    for (Lang l : kAllLangs) {
        if (!record.name[l].empty()) return {record.name[l], l};
    }
    return {"", lang};
}

}  // namespace

double NameCoverage(Analyzer& analyzer, const TextQuery& query, std::string_view name, Lang lang) {
    std::vector<Token> words = analyzer.Analyze(name, lang);
    if (words.empty() || query.empty()) return 0;
    double matched = 0;
    for (const Token& w : words) matched += WordMatch(w, query, lang);
    return matched / static_cast<double>(words.size());
}

RankWindow NameMatchWindow(uint32_t offset, uint32_t limit) {
    if (limit == 0) return {offset, 0};
    const uint32_t first = offset - offset % kNameBlock;
    const uint64_t end = static_cast<uint64_t>(offset) + limit;
    const uint64_t blocks_end = (end + kNameBlock - 1) / kNameBlock * kNameBlock;
    return {first, static_cast<uint32_t>(blocks_end - first)};
}

void PreferNameMatches(Analyzer& analyzer, const TextQuery& query, const NameMatchPage& page,
                       std::vector<Hit>& hits) {
    if (page.weight > 0 && !query.empty()) {
        for (Hit& hit : hits) {
            auto [name, name_lang] = NameOf(hit.record, page.lang);
            hit.score *= 1 + page.weight * NameCoverage(analyzer, query, name, name_lang);
        }
        for (size_t block = 0; block < hits.size(); block += kNameBlock) {
            auto end = hits.begin() +
                       static_cast<std::ptrdiff_t>(std::min(hits.size(), block + kNameBlock));
            std::stable_sort(hits.begin() + static_cast<std::ptrdiff_t>(block), end,
                             [](const Hit& a, const Hit& b) { return a.score > b.score; });
        }
    }
    const RankWindow window = NameMatchWindow(page.offset, page.limit);
    const size_t skip = std::min<size_t>(hits.size(), page.offset - window.first);
    hits.erase(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(skip));
    if (hits.size() > page.limit) hits.resize(page.limit);
}

}  // namespace tnohaku
