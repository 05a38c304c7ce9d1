#include "server/facet_json.h"

#include <array>
#include <charconv>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/html.h"

namespace tnohaku::server {

namespace {

// Bytes that EscapeHtml replaces or that JSON must escape (RapidJSON escapes exactly the
// control characters, '"' and '\\'; everything else, UTF-8 included, passes as it is).
constexpr std::array<bool, 256> kNeedsWork = [] {
    std::array<bool, 256> table{};
    for (unsigned c = 0; c < 0x20; ++c) table[c] = true;
    for (unsigned char c : {'&', '<', '>', '"', '\'', '\\'}) table[c] = true;
    return table;
}();

bool NeedsWork(std::string_view text) {
    for (unsigned char c : text) {
        if (kNeedsWork[c]) return true;
    }
    return false;
}

void AppendUint(uint64_t value, std::string& out) {
    char digits[20];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    (void)ec;  // 20 digits hold every uint64_t
    out.append(digits, end);
}

}  // namespace

void AppendJsonText(std::string_view text, std::string& out) {
    if (!NeedsWork(text)) {
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
        AppendJsonText(v.code, out);
        out += ",\"label\":";
        AppendJsonText(v.label, out);
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
