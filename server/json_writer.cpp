#include "server/json_writer.h"

#include <cmath>
#include <map>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/dates.h"
#include "core/exact_json.h"
#include "core/html.h"
#include "server/facet_json.h"
#include "server/params.h"

namespace tnohaku::server {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer& w, std::string_view key) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

// Writes text as it is: only for strings that are already safe (codes, fixed names,
// highlights escaped by the searcher).
void Raw(Writer& w, std::string_view text) {
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Writes text HTML-escaped: everything that comes from records or from the client.
void Text(Writer& w, std::string_view text) {
    if (NeedsHtmlEscape(text)) {
        Raw(w, EscapeHtml(text));
    } else {
        Raw(w, text);  // most texts: no copy
    }
}

void TextOrNull(Writer& w, std::string_view text) {
    if (text.empty()) {
        w.Null();
    } else {
        Text(w, text);
    }
}

// A finite number rounded to `decimals` places, else null.
void Number(Writer& w, double value, int decimals = 3) {
    if (std::isfinite(value)) {
        double scale = std::pow(10.0, decimals);
        w.Double(std::round(value * scale) / scale);
    } else {
        w.Null();
    }
}

void WriteLangTexts(Writer& w, const LangText& text) {
    w.StartObject();
    for (Lang lang : kAllLangs) {
        if (text[lang].empty()) continue;
        Key(w, LangCode(lang));
        Text(w, text[lang]);
    }
    w.EndObject();
}

void WriteCodeLabel(Writer& w, const Vocabulary& vocab, Facet facet, const std::string& code,
                    Lang lang) {
    w.StartObject();
    Key(w, "code");
    Text(w, code);
    Key(w, "label");
    Text(w, vocab.Label(facet, code, lang));
    w.EndObject();
}

void WriteCodeLabels(Writer& w, std::string_view key, const Vocabulary& vocab, Facet facet,
                     const std::vector<std::string>& codes, Lang lang) {
    Key(w, key);
    w.StartArray();
    for (const auto& code : codes) WriteCodeLabel(w, vocab, facet, code, lang);
    w.EndArray();
}

void WriteQueryEcho(Writer& w, const SearchRequest& r) {
    w.StartObject();
    Key(w, "q");
    Text(w, r.q);
    Key(w, "lang");
    Raw(w, LangCode(r.lang));
    for (const FilterParam& param : FilterParams()) {
        Key(w, param.name);
        w.StartArray();
        for (const auto& code : FilterValues(r, param)) Text(w, code);
        w.EndArray();
    }
    Key(w, "national");
    Raw(w, r.include_national ? "include" : "exclude");
    Key(w, "active_on");
    if (r.active_on) {
        Raw(w, FormatDay(*r.active_on));
    } else {
        w.Null();
    }
    Key(w, "status");
    Raw(w, PeriodStatusName(r.status));
    Key(w, "near");
    if (r.near) {
        w.StartObject();
        Key(w, "lat");
        w.Double(r.near->lat);
        Key(w, "lon");
        w.Double(r.near->lon);
        w.EndObject();
    } else {
        w.Null();
    }
    Key(w, "radius_km");
    w.Double(r.radius_km);
    Key(w, "sort");
    Raw(w, SortOrderName(r.sort));
    Key(w, "offset");
    w.Uint(r.offset);
    Key(w, "limit");
    w.Uint(r.limit);
    Key(w, "facets");
    w.StartArray();
    for (SearchFacet facet : r.facets) Raw(w, SearchFacetName(facet));
    w.EndArray();
    Key(w, "facet_limit");
    w.Uint(r.facet_limit);
    w.EndObject();
}

void WriteLocation(Writer& w, const Location& l, const Vocabulary& vocab, Lang lang) {
    w.StartObject();
    Key(w, "name");
    TextOrNull(w, l.name);
    Key(w, "address");
    TextOrNull(w, l.address);
    Key(w, "postal_code");
    TextOrNull(w, l.postal_code);
    Key(w, "municipality");
    if (l.municipality.empty()) {
        w.Null();
    } else {
        WriteCodeLabel(w, vocab, Facet::kMunicipality, l.municipality, lang);
    }
    Key(w, "lat");
    if (l.lat && l.lon)
        Number(w, *l.lat, 6);
    else
        w.Null();
    Key(w, "lon");
    if (l.lat && l.lon)
        Number(w, *l.lon, 6);
    else
        w.Null();
    w.EndObject();
}

void WriteHitRecordFields(Writer& w, const Record& r, const Vocabulary& vocab, Lang lang) {
    Key(w, "organisations");
    w.StartArray();
    for (const auto& o : r.organisations) {
        w.StartObject();
        Key(w, "id");
        TextOrNull(w, o.id);
        Key(w, "name");
        Text(w, o.name);
        Key(w, "role");
        Text(w, o.role);
        w.EndObject();
    }
    w.EndArray();
    Key(w, "national");
    w.Bool(r.area.national);
    Key(w, "areas");
    w.StartArray();
    for (const auto& code : r.area.regions) WriteCodeLabel(w, vocab, Facet::kRegion, code, lang);
    for (const auto& code : r.area.municipalities)
        WriteCodeLabel(w, vocab, Facet::kMunicipality, code, lang);
    w.EndArray();
    WriteCodeLabels(w, "target_groups", vocab, Facet::kTargetGroup, r.target_groups, lang);
    WriteCodeLabels(w, "themes", vocab, Facet::kTheme, r.themes, lang);
    WriteCodeLabels(w, "channels", vocab, Facet::kChannel, r.channels, lang);
    Key(w, "period");
    w.StartObject();
    Key(w, "start");
    TextOrNull(w, r.period.start);
    Key(w, "end");
    TextOrNull(w, r.period.end);
    w.EndObject();
    Key(w, "locations");
    w.StartArray();
    for (const auto& l : r.locations) WriteLocation(w, l, vocab, lang);
    w.EndArray();
    Key(w, "url");
    TextOrNull(w, r.contact.url);
}

void WriteHit(Writer& w, const Hit& hit, const Vocabulary& vocab, Lang lang) {
    const Record& r = hit.record;
    w.StartObject();
    Key(w, "id");
    Text(w, hit.id.empty() ? r.id : hit.id);
    Key(w, "type");
    Text(w, r.type);
    Key(w, "name");
    Text(w, r.name.Display(lang));
    Key(w, "names");
    WriteLangTexts(w, r.name);
    Key(w, "summary");
    Text(w, r.summary.Display(lang));
    Key(w, "highlights");
    w.StartObject();
    for (const auto& [field, html] : hit.highlights) {
        Key(w, field);
        Raw(w, html);  // escaped by the searcher, with <mark> around matches
    }
    w.EndObject();
    WriteHitRecordFields(w, r, vocab, lang);
    Key(w, "score");
    Number(w, hit.score);
    if (hit.distance_km) {
        Key(w, "distance_km");
        Number(w, *hit.distance_km);
    }
    w.EndObject();
}

// Facet values are written by hand (server/facet_json.h) and handed to the writer whole.
void WriteFacetValues(Writer& w, const std::vector<FacetValue>& values) {
    std::string json;
    AppendFacetValuesJson(values, json);
    w.RawValue(json.data(), json.size(), rapidjson::kArrayType);
}

// Code → count over a facet's values and their children.
void CollectCounts(const std::vector<FacetValue>& values, std::map<std::string, uint64_t>& counts) {
    for (const auto& v : values) {
        counts[std::string(v.code)] = v.count;
        CollectCounts(v.children, counts);
    }
}

struct VocabTree {
    const Vocabulary& vocab;
    Facet facet;
    Lang lang;
    const std::map<std::string, uint64_t>& counts;
};

void WriteVocabCode(Writer& w, const VocabTree& tree, const Code& code,
                    const std::vector<std::string>& children) {
    w.StartObject();
    Key(w, "code");
    Text(w, code.code);
    Key(w, "label");
    Text(w, code.labels.Display(tree.lang));
    Key(w, "count");
    auto it = tree.counts.find(code.code);
    w.Uint64(it == tree.counts.end() ? 0 : it->second);
    Key(w, "selected");
    w.Bool(false);
    if (!children.empty()) {
        Key(w, "children");
        w.StartArray();
        for (const auto& child : children) {
            if (const Code* c = tree.vocab.Find(tree.facet, child))
                WriteVocabCode(w, tree, *c, c->children);
        }
        w.EndArray();
    }
    w.EndObject();
}

void WriteVocabTree(Writer& w, const VocabTree& tree) {
    w.StartArray();
    for (const Code& code : tree.vocab.Codes(tree.facet)) {
        if (code.parent.empty()) WriteVocabCode(w, tree, code, code.children);
    }
    w.EndArray();
}

// Regions with their municipalities as children.
void WriteAreaTree(Writer& w, const Vocabulary& vocab, Lang lang,
                   const std::map<std::string, uint64_t>& counts) {
    std::map<std::string, std::vector<std::string>> municipalities;
    for (const Code& m : vocab.Codes(Facet::kMunicipality))
        municipalities[vocab.RegionOf(m.code)].push_back(m.code);
    VocabTree munis{vocab, Facet::kMunicipality, lang, counts};
    w.StartArray();
    for (const Code& region : vocab.Codes(Facet::kRegion)) {
        w.StartObject();
        Key(w, "code");
        Text(w, region.code);
        Key(w, "label");
        Text(w, region.labels.Display(lang));
        Key(w, "count");
        auto it = counts.find(region.code);
        w.Uint64(it == counts.end() ? 0 : it->second);
        Key(w, "selected");
        w.Bool(false);
        Key(w, "children");
        w.StartArray();
        for (const auto& code : municipalities[region.code]) {
            if (const Code* m = vocab.Find(Facet::kMunicipality, code))
                WriteVocabCode(w, munis, *m, {});
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
}

std::optional<Facet> VocabOf(SearchFacet facet) {
    for (const FilterParam& param : FilterParams()) {
        if (param.facet == facet && facet != SearchFacet::kArea) return param.vocab;
    }
    return std::nullopt;
}

// Replaces every string value (not keys) by its HTML-escaped form.
void EscapeStrings(rapidjson::Value& v, rapidjson::Document::AllocatorType& alloc) {
    if (v.IsString()) {
        std::string escaped = EscapeHtml(std::string_view(v.GetString(), v.GetStringLength()));
        v.SetString(escaped.data(), static_cast<rapidjson::SizeType>(escaped.size()), alloc);
    } else if (v.IsArray()) {
        for (auto& item : v.GetArray()) EscapeStrings(item, alloc);
    } else if (v.IsObject()) {
        for (auto& member : v.GetObject()) EscapeStrings(member.value, alloc);
    }
}

// The response's members before its facets, the object opened.
void WriteBeforeFacets(Writer& w, const SearchResult& result,
                       const SearchResponseContext& context) {
    const SearchRequest& request = context.request;
    w.StartObject();
    Key(w, "total");
    w.Uint64(result.total);
    Key(w, "offset");
    w.Uint(request.offset);
    Key(w, "limit");
    w.Uint(request.limit);
    Key(w, "generation");
    w.Uint64(result.generation);
    Key(w, "query");
    WriteQueryEcho(w, request);
    Key(w, "hits");
    w.StartArray();
    for (const Hit& hit : result.hits) WriteHit(w, hit, context.vocab, request.lang);
    w.EndArray();
}

}  // namespace

SearchResponseBody SearchResponseBody::Of(const SearchResult& result,
                                          const SearchResponseContext& context) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    WriteBeforeFacets(w, result, context);
    // The facets are most of the response: written by hand (server/facet_json.h)
    // straight into the body, whose size is known exactly before it is written. The
    // writer only learns that a value came, so it puts the separators around it.
    Key(w, "facets");
    w.RawValue("", 0, rapidjson::kObjectType);
    const size_t before_facets = buffer.GetSize();
    if (result.did_you_mean && !result.did_you_mean->empty()) {
        Key(w, "did_you_mean");
        Text(w, *result.did_you_mean);
    }
    Key(w, "took_ms");  // the value and the closing brace come with Finish
    const std::string_view written(buffer.GetString(), buffer.GetSize());
    SearchResponseBody body;
    // Exactly: a grown buffer would be copied, and the body is a response's largest part.
    body.head_.reserve(written.size() + FacetsJsonSize(result.facets) + 1);
    body.head_ += written.substr(0, before_facets);
    AppendFacetsJson(result.facets, body.head_);
    body.head_ += written.substr(before_facets);
    body.head_ += ':';  // the writer puts it before the next value, which it never sees
    body.total_ = result.total;
    return body;
}

std::string SearchResponseBody::Ending(double took_ms) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    Number(w, took_ms);  // a JSON text of its own: the number as the writer formats it
    std::string out(buffer.GetString(), buffer.GetSize());
    out += '}';
    return out;
}

std::string SearchResponseBody::Finish(double took_ms) const {
    const std::string ending = Ending(took_ms);
    std::string out;
    out.reserve(head_.size() + ending.size());
    out += head_;
    out += ending;
    return out;
}

std::string WriteSearchResponse(const SearchResult& result, const SearchResponseContext& context) {
    return SearchResponseBody::Of(result, context).Finish(context.took_ms);
}

std::string WriteRecordResponse(const Record& record) {
    rapidjson::Document doc;
    std::string json = RecordToJson(record);
    // Our own canonical JSON, so it parses; exactly, as RapidJSON's default number
    // parsing could move a coordinate by an ulp.
    (void)json::ParseExact(json, doc, json::Utf8Check::kTrust);
    EscapeStrings(doc, doc.GetAllocator());
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    doc.Accept(w);
    return buffer.GetString();
}

std::string WriteFacetsResponse(const SearchResult& result, Lang lang, const Vocabulary& vocab) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    Key(w, "generation");
    w.Uint64(result.generation);
    Key(w, "total");
    w.Uint64(result.total);
    Key(w, "lang");
    Raw(w, LangCode(lang));
    Key(w, "facets");
    w.StartObject();
    for (SearchFacet facet : kAllSearchFacets) {
        std::map<std::string, uint64_t> counts;
        auto it = result.facets.find(facet);
        if (it != result.facets.end()) CollectCounts(it->second, counts);
        Key(w, SearchFacetName(facet));
        if (facet == SearchFacet::kArea) {
            WriteAreaTree(w, vocab, lang, counts);
        } else if (auto vocab_facet = VocabOf(facet)) {
            WriteVocabTree(w, VocabTree{vocab, *vocab_facet, lang, counts});
        } else {
            WriteFacetValues(w, it == result.facets.end() ? std::vector<FacetValue>() : it->second);
        }
    }
    w.EndObject();
    w.EndObject();
    return buffer.GetString();
}

std::string WriteSuggestResponse(const std::string& q, const std::vector<Suggestion>& suggestions) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    Key(w, "q");
    Text(w, q);
    Key(w, "suggestions");
    w.StartArray();
    for (const auto& s : suggestions) {
        w.StartObject();
        Key(w, "text");
        Text(w, s.text);
        Key(w, "kind");
        Text(w, s.kind);
        Key(w, "id");
        TextOrNull(w, s.id);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buffer.GetString();
}

}  // namespace tnohaku::server
