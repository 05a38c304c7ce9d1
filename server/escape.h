// EscapeHtml: the one escaping function of the API.
//
// Every piece of text the API sends (catalogue text from records, labels, echoed query
// text, error messages) goes through EscapeHtml, so that a page embedding the results can
// insert any string into HTML, attribute values included, without further escaping.
// Highlights arrive already escaped from the searcher (with <mark> around matches) and are
// the only strings sent as they are.
#pragma once

#include <string>
#include <string_view>

namespace tnohaku::server {

// Replaces & < > " ' with &amp; &lt; &gt; &quot; &#39;. Other bytes are kept as they are.
std::string EscapeHtml(std::string_view text);

}  // namespace tnohaku::server
