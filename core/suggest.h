// As-you-type suggestions (Searcher::Suggest): first the names of records whose name
// starts with the typed text or has a word starting with the last typed word (the other
// typed words matching the record too), best matches first; then indexed whole words
// (base forms) of the language that complete the last typed word, most frequent first.
// Distinct, at most `limit`.
//
// Thread safety: uses the caller's Database and QueryBuilder (one per thread).
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/query_builder.h"
#include "core/searcher.h"

namespace tnohaku {

std::vector<Suggestion> SuggestCompletions(const Xapian::Database& db, QueryBuilder& builder,
                                           const std::string& typed, Lang lang, size_t limit);

}  // namespace tnohaku
