// EscapeHtml: the one HTML-escaping function of tnohaku.
//
// Every piece of catalogue text the API returns (names, summaries, labels, echoed query
// text, error messages) goes through it, and highlights escape the text around their
// <mark> tags with it, so a page embedding the results can insert any string into HTML,
// attribute values included, without further escaping.
//
// Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace tnohaku {

// Replaces & < > " ' with &amp; &lt; &gt; &quot; &#39;. Other bytes are kept as they are.
std::string EscapeHtml(std::string_view text);

// True when EscapeHtml(text) would change `text` (callers skip the copy otherwise).
bool NeedsHtmlEscape(std::string_view text);

// True when neither EscapeHtml nor a JSON string would change `text`: no & < > " ', no
// backslash, no control character (below 0x20). Such text is written as it is.
bool IsPlainText(std::string_view text);

}  // namespace tnohaku
