#include "core/highlight.h"

#include "core/html.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace tnohaku {

namespace {

size_t LangIndex(Lang lang) {
    return static_cast<size_t>(lang);
}

// The language a LangText::Display(lang) text is written in.
Lang DisplayLang(const LangText& text, Lang lang) {
    if (!text[lang].empty()) return lang;
    for (Lang l : kAllLangs) {
        if (!text[l].empty()) return l;
    }
    return lang;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
    return !prefix.empty() && s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// StartsWith(Analyzer::StripAccents(word), folded_prefix), without stripping a word that
// cannot match: an ASCII character is left as it is (only combining marks go, and nothing
// then composes with it), so a word beginning with one other than the prefix's first
// character never matches, and an ASCII word needs no stripping at all.
bool FoldedStartsWith(std::string_view word, std::string_view folded_prefix) {
    if (folded_prefix.empty() || word.empty()) return false;
    const unsigned char first = static_cast<unsigned char>(word.front());
    if (first < 0x80 && word.front() != folded_prefix.front()) return false;
    const bool ascii = std::all_of(word.begin(), word.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) return StartsWith(word, folded_prefix);
    return StartsWith(Analyzer::StripAccents(word), folded_prefix);
}

bool Matches(const Token& token, Lang lang, const HighlightTerms& q) {
    const auto& terms = q.terms[LangIndex(lang)];
    for (const Term& t : token.terms) {
        if (terms.count(t.text)) return true;
    }
    if (q.prefix.empty()) return false;
    if (StartsWith(token.surface, q.prefix)) return true;
    if (FoldedStartsWith(token.surface, q.prefix_folded)) return true;
    return std::any_of(token.terms.begin(), token.terms.end(), [&](const Term& t) {
        return t.kind == TermKind::kWhole && StartsWith(t.text, q.prefix);
    });
}

}  // namespace

bool HighlightTerms::empty() const {
    return prefix.empty() &&
           std::all_of(terms.begin(), terms.end(), [](const auto& s) { return s.empty(); });
}

HighlightTerms HighlightTerms::FromQuery(const TextQuery& query) {
    HighlightTerms out;
    for (const QueryWord& w : query.words) {
        for (size_t i = 0; i < w.terms.size(); ++i) {
            for (const Term& t : w.terms[i]) out.terms[i].insert(t.text);
        }
    }
    if (query.prefix_last && !query.words.empty()) {
        out.prefix = query.words.back().surface;
        out.prefix_folded = Analyzer::StripAccents(out.prefix);
    }
    return out;
}

std::string MarkText(Analyzer& analyzer, std::string_view text, Lang lang,
                     const HighlightTerms& terms, std::optional<size_t> window_words,
                     size_t words_before) {
    std::vector<Token> tokens;
    if (!terms.empty()) {
        tokens = analyzer.Analyze(text, lang);
    } else if (window_words) {
        // Nothing to mark: words separated by white space are enough to cut the window.
        for (size_t i = 0; i < text.size();) {
            while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
            size_t begin = i;
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
            if (i > begin) {
                Token t;
                t.begin = static_cast<uint32_t>(begin);
                t.end = static_cast<uint32_t>(i);
                tokens.push_back(std::move(t));
            }
        }
    }
    // Offsets must point into `text` itself; if the analysis changed the text's length
    // (normalisation), mark nothing rather than something wrong.
    bool offsets_ok =
        std::all_of(tokens.begin(), tokens.end(),
                    [&](const Token& t) { return t.begin < t.end && t.end <= text.size(); }) &&
        std::is_sorted(tokens.begin(), tokens.end(),
                       [](const Token& a, const Token& b) { return a.begin < b.begin; });
    if (!offsets_ok) tokens.clear();
    std::vector<bool> matched(tokens.size());
    size_t first = tokens.size();
    if (!terms.empty()) {
        for (size_t i = 0; i < tokens.size(); ++i) {
            matched[i] = Matches(tokens[i], lang, terms);
            if (matched[i] && first == tokens.size()) first = i;
        }
    }
    size_t from_token = 0, to_token = tokens.size();
    size_t from = 0, to = text.size();
    if (window_words && tokens.size() > *window_words) {
        size_t start =
            first == tokens.size() ? 0 : (first > words_before ? first - words_before : 0);
        size_t end = std::min(tokens.size(), start + *window_words);
        if (end - start < *window_words) start = end - *window_words;
        from_token = start;
        to_token = end;
        if (start > 0) from = tokens[start].begin;
        if (end < tokens.size()) to = tokens[end - 1].end;
    }
    std::string out;
    if (from > 0) out += "…";
    size_t at = from;
    for (size_t i = from_token; i < to_token; ++i) {
        const Token& t = tokens[i];
        if (!matched[i] || t.begin < at) continue;
        out += EscapeHtml(text.substr(at, t.begin - at));
        out += "<mark>";
        out += EscapeHtml(text.substr(t.begin, t.end - t.begin));
        out += "</mark>";
        at = t.end;
    }
    out += EscapeHtml(text.substr(at, to - at));
    if (to < text.size()) out += "…";
    return out;
}

std::map<std::string, std::string> Highlight(Analyzer& analyzer, const Record& record, Lang lang,
                                             const HighlightTerms& terms,
                                             const HighlightOptions& options) {
    std::map<std::string, std::string> out;
    struct Field {
        const char* name;
        const LangText* text;
        bool window;
    };
    for (const Field& f :
         {Field{"name", &record.name, false}, Field{"summary", &record.summary, false},
          Field{"description", &record.description, true}}) {
        const std::string& text = f.text->Display(lang);
        if (text.empty()) continue;
        std::optional<size_t> window;
        if (f.window) window = options.description_words;
        out[f.name] = MarkText(analyzer, text, DisplayLang(*f.text, lang), terms, window,
                               options.words_before);
    }
    return out;
}

}  // namespace tnohaku
