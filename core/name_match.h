// Name matches: among records that match a query about equally well, the one whose name
// IS the query ranks first ("Etsivä nuorisotyö" before "Pohjois-Pohjanmaan etsivän
// nuorisotyön alueellinen verkosto").
//
// The index gives a word in a name more weight than one in a description (its wdf), but
// it cannot tell how much of a name the query covers. That is read here from the stored
// records of one result page: the name (in the request's language, else the first one
// the record has) is analysed with core/analyzer.h, and its coverage is the share of its
// words that are query words (a whole word 1, a compound part or a prefix of the last
// word typed ½). A hit's score is multiplied by 1 + weight × coverage and hits are
// re-sorted within aligned blocks of kNameBlock ranks (ranks 0–9, 10–19, …): the same
// ordering whatever the page's offset and size, so pages still concatenate to the full
// ordering. A page is cut from the blocks that hold it (NameMatchWindow).
//
// Thread safety: uses the caller's Analyzer (one per thread).
#pragma once

#include <cstdint>
#include <vector>

#include "core/analyzer.h"
#include "core/query_builder.h"
#include "core/search.h"

namespace tnohaku {

// The share (0–1) of the words of `name`, written in `lang`, that the query's words are.
double NameCoverage(Analyzer& analyzer, const TextQuery& query, std::string_view name, Lang lang);

// Ranks reordered together: a page inside one block (the usual offset 0, limit 10) costs
// nothing extra.
inline constexpr uint32_t kNameBlock = 10;

// The ranks [first, first + count) to fetch for a page: the blocks it overlaps.
struct RankWindow {
    uint32_t first = 0, count = 0;
};
RankWindow NameMatchWindow(uint32_t offset, uint32_t limit);

struct NameMatchPage {
    Lang lang = Lang::kFi;  // the request's language (which name to read first)
    double weight = 0;      // QueryWeights::name_coverage; 0 reorders nothing
    uint32_t offset = 0, limit = 0;
};

// `hits` are the relevance-ranked hits of NameMatchWindow(page.offset, page.limit):
// rescales their scores by name coverage, re-sorts each block (ties keep their order)
// and keeps the page's hits, ranks [offset, offset + limit).
void PreferNameMatches(Analyzer& analyzer, const TextQuery& query, const NameMatchPage& page,
                       std::vector<Hit>& hits);

}  // namespace tnohaku
