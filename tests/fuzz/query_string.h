// Fuzz inputs read as URL query strings ("q=ohjaus&region=17,18"): split at '&' and the
// first '=', '+' as a space, %XX decoded (a malformed escape stays as written), the way
// cpp-httplib hands parameters to the server. Keeps the seed corpus readable.
#pragma once

#include <string>
#include <string_view>

#include "server/api.h"

namespace tnohaku::fuzz {

inline int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

inline std::string PercentDecode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
                   HexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

inline server::ParamMap ParseQueryString(std::string_view text) {
    server::ParamMap params;
    while (!text.empty()) {
        size_t amp = text.find('&');
        std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (pair.empty()) continue;
        size_t eq = pair.find('=');
        std::string_view key = pair.substr(0, eq);
        std::string_view value =
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        params.emplace(PercentDecode(key), PercentDecode(value));
    }
    return params;
}

}  // namespace tnohaku::fuzz
