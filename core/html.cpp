#include "core/html.h"

namespace tnohaku {

bool NeedsHtmlEscape(std::string_view text) {
    // A plain loop: find_first_of calls memchr once per byte of text.
    for (char c : text) {
        if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return true;
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
