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
#include <string_view>
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

// {total, offset, limit, generation, query, hits, facets, did_you_mean?, took_ms}
std::string WriteSearchResponse(const SearchResult& result, const SearchResponseContext& context);

// A search response written but for its took_ms, which is the last member: the server's
// result cache keeps head() compressed (server/content_coding.h: GzipHead) and each
// answer ends it with its own time. WriteSearchResponse(r, c) == Of(r, c).Finish(c.took_ms).
class SearchResponseBody {
  public:
    static SearchResponseBody Of(const SearchResult& result, const SearchResponseContext& context);
    // The whole body: head() + Ending(took_ms).
    std::string Finish(double took_ms) const;
    // Everything up to took_ms's value.
    std::string_view head() const { return head_; }
    // What follows head(): the value of took_ms and the closing brace.
    static std::string Ending(double took_ms);
    uint64_t total() const { return total_; }

  private:
    std::string head_;  // "{" ... "\"took_ms\":"
    uint64_t total_ = 0;
};

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
