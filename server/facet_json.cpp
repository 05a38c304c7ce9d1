#include "server/facet_json.h"

#include <charconv>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/html.h"

namespace tnohaku::server {

namespace {

void AppendUint(uint64_t value, std::string& out) {
    char digits[20];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    (void)ec;  // 20 digits hold every uint64_t
    out.append(digits, end);
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
    out += '[';
    for (size_t i = 0; i < values.size(); ++i) {
        const FacetValue& v = values[i];
        if (i > 0) out += ',';
        out += "{\"code\":";
        if (v.plain) {  // known plain: no check
            out += '"';
            out += v.code;
            out += "\",\"label\":\"";
            out += v.label;
            out += '"';
        } else {
            AppendJsonText(v.code, out);
            out += ",\"label\":";
            AppendJsonText(v.label, out);
        }
        out += ",\"count\":";
        AppendUint(v.count, out);
        out += v.selected ? ",\"selected\":true" : ",\"selected\":false";
        if (!v.children.empty()) {
            out += ",\"children\":";
            AppendFacetValuesJson(v.children, out);
        }
        out += '}';
    }
    out += ']';
}

}  // namespace tnohaku::server
