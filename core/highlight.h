// Highlighting: catalogue text HTML-escaped, with <mark>…</mark> around the words the
// query matched.
//
// Our own analysis decides what matched (Xapian's snippets know only Snowball stems): the
// text is analysed with core/analyzer.h in its own language, and a word is marked when
// any of its terms (any kind) is one of the query's terms in that language, or, for the
// last query word typed as a prefix, when the word or its base form starts with it.
// Every character of catalogue text is escaped (& < > " '), so the result is safe to
// insert as HTML.
//
// Thread safety: uses the caller's Analyzer (one per thread).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/analyzer.h"
#include "core/query_builder.h"
#include "core/record.h"

namespace tnohaku {

// What to mark: the query's terms per language (indexed like kAllLangs), no prefix.
struct HighlightTerms {
    std::array<std::set<std::string>, 3> terms;
    std::string prefix;         // the last word typed as a prefix (case-folded); empty = none
    std::string prefix_folded;  // the same without accents
    bool empty() const;
    static HighlightTerms FromQuery(const TextQuery& query);
};

struct HighlightOptions {
    size_t description_words = 30;  // the description is cut to a window of this many words
    size_t words_before = 8;        // ... starting this many words before the first match
};

// One text written in `lang`: escaped, matched words marked. With `window_words`, only a
// window of that many words around the first match is kept ("…" marks cut ends).
std::string MarkText(Analyzer& analyzer, std::string_view text, Lang lang,
                     const HighlightTerms& terms, std::optional<size_t> window_words = std::nullopt,
                     size_t words_before = 8);

// "name", "summary" and "description" of a record in its display language for `lang`
// (LangText::Display); a field is absent when the record has no such text.
std::map<std::string, std::string> Highlight(Analyzer& analyzer, const Record& record, Lang lang,
                                             const HighlightTerms& terms,
                                             const HighlightOptions& options = {});

}  // namespace tnohaku
