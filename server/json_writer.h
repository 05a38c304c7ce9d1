// JSON bodies of the API, written with RapidJSON's Writer. The shapes are documented in
// server/openapi.json; tests/server/openapi_test.cpp checks the two agree.
//
// All catalogue text (names, summaries, organisation names, labels, addresses, URLs) and
// echoed query text pass through EscapeHtml (core/html.h); highlights arrive escaped
// from the searcher, with <mark> around matched words, and are written as they are.
//
// Thread safety: functions of their arguments only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/search.h"
#include "core/searcher.h"
#include "core/vocab.h"

namespace tnohaku::server {

struct SearchResponseContext {
    const SearchRequest& request;  // as parsed: echoed under "query"
    const Vocabulary& vocab;       // labels of the codes in hits
    double took_ms = 0;
};

// {total, offset, limit, took_ms, generation, query, hits, facets, did_you_mean?}
std::string WriteSearchResponse(const SearchResult& result, const SearchResponseContext& context);

// The record's canonical JSON (RecordToJson) with every string value HTML-escaped.
std::string WriteRecordResponse(const Record& record);

// /v1/facets: {generation, total, lang, facets}: every vocabulary code with its label and
// its number of records (0 included), as trees (children under their parent); the area
// facet lists regions with their municipalities as children. organisation and national
// list the values found in the index.
std::string WriteFacetsResponse(const SearchResult& result, Lang lang, const Vocabulary& vocab);

// /v1/suggest: {q, suggestions: [{text, kind, id}]}.
std::string WriteSuggestResponse(const std::string& q, const std::vector<Suggestion>& suggestions);

}  // namespace tnohaku::server
