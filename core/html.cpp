#include "core/html.h"

#include <array>

namespace tnohaku {

namespace {

// The bytes EscapeHtml replaces, as a table: one load per byte of text (find_first_of
// calls memchr once per byte; five comparisons cost more than the load).
constexpr std::array<bool, 256> kEscaped = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {'&', '<', '>', '"', '\''}) table[c] = true;
    return table;
}();

// kEscaped, and the bytes a JSON string escapes (RapidJSON's writer: control characters,
// '"' and '\\'; UTF-8 passes as it is).
constexpr std::array<bool, 256> kNotPlain = [] {
    std::array<bool, 256> table = kEscaped;
    for (unsigned c = 0; c < 0x20; ++c) table[c] = true;
    table['\\'] = true;
    return table;
}();

}  // namespace

bool IsPlainText(std::string_view text) {
    for (unsigned char c : text) {
        if (kNotPlain[c]) return false;
    }
    return true;
}

bool NeedsHtmlEscape(std::string_view text) {
    for (unsigned char c : text) {
        if (kEscaped[c]) return true;
    }
    return false;
}

std::string EscapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace tnohaku
