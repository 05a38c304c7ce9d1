// The facet value lists of a search response, written as JSON text by hand.
//
// A response lists every value of every facet by default (about 2,400 values at 100k
// records, thousands of organisations), and writing them through RapidJSON's Writer was
// about a tenth of a request: each string is checked for HTML characters, then copied a
// byte at a time through the writer's escape table. Codes and labels almost never need
// escaping, so here each is checked once (IsPlainText of core/html.h: HTML and JSON
// characters together), or not at all when the value says it is plain, and copied
// whole; the rare string that needs escaping goes the slow way
// (EscapeHtml, then RapidJSON's own string escaping), so the bytes are the same as the
// writer's.
//
// The facets are most of a response (≈ 130 KiB at 100k), and the result cache keeps
// many responses: FacetsJsonSize gives the exact length first, so the response is
// written once into a buffer of its final size, neither grown by doubling nor copied.
//
// Thread safety: functions of their arguments only.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/search.h"

namespace tnohaku::server {

// Appends `values` as a JSON array: [{"code","label","count","selected"[,"children"]}…],
// code and label HTML-escaped (core/html.h).
void AppendFacetValuesJson(const std::vector<FacetValue>& values, std::string& out);

// Appends `facets` as a JSON object: facet name (SearchFacetName) → its values as above.
void AppendFacetsJson(const std::map<SearchFacet, std::vector<FacetValue>>& facets,
                      std::string& out);

// Exactly the number of bytes AppendFacetsJson(facets, out) appends.
size_t FacetsJsonSize(const std::map<SearchFacet, std::vector<FacetValue>>& facets);

// Appends `text` HTML-escaped, as a JSON string (quotes included).
void AppendJsonText(std::string_view text, std::string& out);

}  // namespace tnohaku::server
