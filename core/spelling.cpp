#include "core/spelling.h"

#include <algorithm>

#include "core/index_format.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

std::u32string Decode(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 0;
        char32_t cp = extra == 0   ? c
                      : extra == 1 ? (c & 0x1F)
                      : extra == 2 ? (c & 0x0F)
                                   : (c & 0x07);
        ++i;
        for (int k = 0; k < extra && i < s.size(); ++k, ++i) cp = (cp << 6) | (s[i] & 0x3F);
        out.push_back(cp);
    }
    return out;
}

size_t Distance(const std::u32string& a, const std::u32string& b, size_t limit) {
    const size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    // Optimal string alignment distance, three rows.
    std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j) prev[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= m; ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            }
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], limit + 1);
}

// How often the spelling table has the word (0: not at all).
Xapian::doccount SpellingFrequency(const Xapian::Database& db, const std::string& word) {
    if (word.empty()) return 0;
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

// Whether the index knows the word: as a written word, as one of its whole-word terms in
// any language, or (for the last word typed as a prefix) as the start of a word.
bool Known(const Lexicon& lexicon, const QueryWord& word, bool prefix, Lang lang) {
    if (SpellingFrequency(lexicon.spelling, word.surface) > 0) return true;
    const Xapian::Database& db = lexicon.terms;
    for (Lang l : kAllLangs) {
        for (const Term& t : word.terms[static_cast<size_t>(l)]) {
            if (t.kind == TermKind::kWhole &&
                db.term_exists(fmt::TextPrefix(l, TermKind::kWhole) + t.text)) {
                return true;
            }
        }
    }
    if (prefix) {
        std::string start = fmt::TextPrefix(lang, TermKind::kWhole) + word.surface;
        auto it = db.allterms_begin(start);
        if (it != db.allterms_end(start)) return true;
    }
    return false;
}

struct Candidate {
    std::string word;
    size_t distance = SIZE_MAX;
    Xapian::doccount frequency = 0;
    bool Better(const Candidate& o) const {
        return distance != o.distance ? distance < o.distance : frequency > o.frequency;
    }
};

}  // namespace

std::vector<std::string> SpellingCompletions(const Xapian::Database& db, std::string_view prefix,
                                             size_t limit) {
    // Looked at in alphabetical order; a bounded number, so that a short prefix in a big
    // vocabulary stays cheap.
    constexpr size_t kMaxLooked = 500;
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    if (prefix.empty() || limit == 0) return {};
    Xapian::TermIterator it = db.spellings_begin();
    it.skip_to(std::string(prefix));
    for (; it != db.spellings_end() && found.size() < kMaxLooked; ++it) {
        const std::string word = *it;
        if (word.compare(0, prefix.size(), prefix) != 0) break;
        found.emplace_back(it.get_termfreq(), word);
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> out;
    for (size_t i = 0; i < found.size() && i < limit; ++i) out.push_back(found[i].second);
    return out;
}

size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
    return Distance(Decode(a), Decode(b), limit);
}

std::optional<std::vector<std::string>> CorrectSpelling(const Lexicon& lexicon,
                                                        const TextQuery& query, Lang lang) {
    const Xapian::Database& db = lexicon.spelling;
    std::vector<std::string> words;
    bool changed = false;
    for (size_t i = 0; i < query.words.size(); ++i) {
        const QueryWord& w = query.words[i];
        words.push_back(w.surface);
        bool last_prefix = query.prefix_last && i + 1 == query.words.size();
        if (w.surface.empty() || Known(lexicon, w, last_prefix, lang)) continue;
        const std::u32string typed = Decode(w.surface);
        Candidate best;
        auto consider = [&](const std::string& c, Xapian::doccount freq) {
            if (c.empty() || c == w.surface) return;
            Candidate cand{c, Distance(typed, Decode(c), 2), freq};
            if (cand.distance <= 2 && cand.Better(best)) best = cand;
        };
        std::string suggestion = db.get_spelling_suggestion(w.surface, 2);
        consider(suggestion, SpellingFrequency(db, suggestion));
        if (typed.size() >= 5) {
            for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
                const std::string candidate = *it;
                const std::u32string c = Decode(candidate);
                if (c.size() + 1 < typed.size() || c.size() > typed.size() + 1) continue;
                if (Distance(typed, c, 1) <= 1) consider(candidate, it.get_termfreq());
            }
        }
        if (!best.word.empty()) {
            words.back() = best.word;
            changed = true;
        }
    }
    if (!changed) return std::nullopt;
    return words;
}

}  // namespace tnohaku
