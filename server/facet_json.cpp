#include "server/facet_json.h"

#include <charconv>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/html.h"

namespace tnohaku::server {

namespace {

// The format is written once, as templates over where the bytes go: appended to a
// string, or only counted. So the size can never disagree with what is written.
class AppendSink {
  public:
    explicit AppendSink(std::string& out) : out_(out) {}
    void Put(char c) { out_ += c; }
    void Put(std::string_view text) { out_ += text; }
    void PutJsonText(std::string_view text) { AppendJsonText(text, out_); }

  private:
    std::string& out_;
};

class SizeSink {
  public:
    void Put(char) { ++size_; }
    void Put(std::string_view text) { size_ += text.size(); }
    void PutJsonText(std::string_view text) {
        if (IsPlainText(text)) {
            size_ += text.size() + 2;  // the quotes
            return;
        }
        std::string escaped;  // rare: measured by writing it
        AppendJsonText(text, escaped);
        size_ += escaped.size();
    }
    size_t size() const { return size_; }

  private:
    size_t size_ = 0;
};

template <class Sink>
void PutUint(uint64_t value, Sink& sink) {
    char digits[20];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    (void)ec;  // 20 digits hold every uint64_t
    sink.Put(std::string_view(digits, static_cast<size_t>(end - digits)));
}

template <class Sink>
void PutFacetValues(const std::vector<FacetValue>& values, Sink& sink) {
    sink.Put('[');
    for (size_t i = 0; i < values.size(); ++i) {
        const FacetValue& v = values[i];
        if (i > 0) sink.Put(',');
        sink.Put("{\"code\":");
        if (v.plain) {  // known plain: no check
            sink.Put('"');
            sink.Put(v.code);
            sink.Put("\",\"label\":\"");
            sink.Put(v.label);
            sink.Put('"');
        } else {
            sink.PutJsonText(v.code);
            sink.Put(",\"label\":");
            sink.PutJsonText(v.label);
        }
        sink.Put(",\"count\":");
        PutUint(v.count, sink);
        sink.Put(v.selected ? ",\"selected\":true" : ",\"selected\":false");
        if (!v.children.empty()) {
            sink.Put(",\"children\":");
            PutFacetValues(v.children, sink);
        }
        sink.Put('}');
    }
    sink.Put(']');
}

template <class Sink>
void PutFacets(const std::map<SearchFacet, std::vector<FacetValue>>& facets, Sink& sink) {
    sink.Put('{');
    bool first = true;
    for (const auto& [facet, values] : facets) {
        if (!first) sink.Put(',');
        first = false;
        sink.PutJsonText(SearchFacetName(facet));
        sink.Put(':');
        PutFacetValues(values, sink);
    }
    sink.Put('}');
}

}  // namespace

void AppendJsonText(std::string_view text, std::string& out) {
    if (IsPlainText(text)) {
        out += '"';
        out += text;
        out += '"';
        return;
    }
    const std::string escaped = EscapeHtml(text);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(escaped.data(), static_cast<rapidjson::SizeType>(escaped.size()));
    out.append(buffer.GetString(), buffer.GetSize());
}

void AppendFacetValuesJson(const std::vector<FacetValue>& values, std::string& out) {
    AppendSink sink(out);
    PutFacetValues(values, sink);
}

void AppendFacetsJson(const std::map<SearchFacet, std::vector<FacetValue>>& facets,
                      std::string& out) {
    AppendSink sink(out);
    PutFacets(facets, sink);
}

size_t FacetsJsonSize(const std::map<SearchFacet, std::vector<FacetValue>>& facets) {
    SizeSink sink;
    PutFacets(facets, sink);
    return sink.size();
}

}  // namespace tnohaku::server
