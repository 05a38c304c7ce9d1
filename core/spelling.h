// Spelling correction for "did you mean": query words unknown to the index are corrected
// against the spelling table (schema/index-format.md: the written, case-folded words of
// names, summaries, descriptions and keywords).
//
// Per unknown word, candidates are Xapian's suggestion (edit distance up to 2) and, for
// words of 5+ letters, every spelling word at edit distance 1 (letters inserted, deleted,
// replaced or two swapped); the closest wins, then the most frequent. Whether the
// corrected query finds more is for the caller (core/searcher.cpp) to decide.
//
// Thread safety: reads the caller's Database (one per thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/query_builder.h"

namespace tnohaku {

// Edit distance (insert, delete, replace, swap of neighbours) between two UTF-8 strings,
// counted in code points; stops counting at `limit` + 1.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit = 1000);

// Written words of the spelling table that start with `prefix` (case-folded), the most
// frequent first, at most `limit`: what a word being typed may become, as written
// ("omaishoid" → omaishoidon, omaishoidossa, whose base form omaishoito the prefix
// itself does not start).
std::vector<std::string> SpellingCompletions(const Xapian::Database& db, std::string_view prefix,
                                             size_t limit);

// Where words are looked up: the index's terms, and its spelling table (the same database
// for one index; a shard set's side index for a set, core/database_set.h).
struct Lexicon {
    const Xapian::Database& terms;
    const Xapian::Database& spelling;
};

// The query's words with unknown ones corrected; nullopt when no word changes.
std::optional<std::vector<std::string>> CorrectSpelling(const Lexicon& lexicon,
                                                        const TextQuery& query, Lang lang);

}  // namespace tnohaku
