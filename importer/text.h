// Text clean-up for imported descriptions: PTV texts come as plain text, as Draft.js JSON
// (the rich-text editor format of the PTV user interface, seen in the v11 API), or with
// bits of HTML or Markdown. PlainText turns all of them into plain text with paragraphs
// separated by a blank line.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace tnohaku::importer {

// Plain text from PTV text: Draft.js JSON → its blocks' text (list items as "- …");
// HTML → tags removed (<br>, </p>, </li> … become line breaks) and entities decoded;
// Markdown-ish emphasis (**x**, __x__), headings (# x) and links ([x](url)) reduced to
// their text. Whitespace is normalised: runs of spaces become one, lines are trimmed,
// at most one blank line in a row, no leading or trailing blank.
std::string PlainText(std::string_view text);

// `text` with leading and trailing ASCII whitespace removed.
std::string Trim(std::string_view text);

// The number of Unicode code points in UTF-8 `text` (what the JSON schema's maxLength
// counts).
size_t CodePointCount(std::string_view text);

// `text` cut to at most `max_code_points` code points, at a word boundary where one is
// near, with "…" appended when anything was cut. Never splits a UTF-8 sequence.
std::string Truncate(std::string_view text, size_t max_code_points);

// ASCII lower case (PTV ids and codes are ASCII).
std::string AsciiLower(std::string_view text);

}  // namespace tnohaku::importer
