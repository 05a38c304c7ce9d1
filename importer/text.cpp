#include "importer/text.h"

#include <charconv>

#include <rapidjson/document.h>

#include "core/json_util.h"

namespace tnohaku::importer {
namespace {

bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Draft.js raw content: {"blocks":[{"text":"…","type":"unstyled"},…],"entityMap":{}}.
// Returns false when `text` is not that.
bool DraftJsToText(std::string_view text, std::string& out) {
    if (text.empty() || text.front() != '{') return false;
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) return false;
    const rapidjson::Value* blocks = json::Find(doc, "blocks");
    if (!blocks || !blocks->IsArray()) return false;
    out.clear();
    bool after_item = false;
    for (const auto& block : blocks->GetArray()) {
        std::string type = json::GetString(block, "type");
        bool item = type == "unordered-list-item" || type == "ordered-list-item";
        if (after_item && !item) out += "\n";  // a blank line after a list
        out += (item ? "- " : "") + json::GetString(block, "text") + (item ? "\n" : "\n\n");
        after_item = item;
    }
    return true;
}

// The character an HTML entity stands for (the common named ones and numeric ones), as
// UTF-8; empty when unknown.
std::string DecodeEntity(std::string_view name) {
    if (name == "amp") return "&";
    if (name == "lt") return "<";
    if (name == "gt") return ">";
    if (name == "quot") return "\"";
    if (name == "apos") return "'";
    if (name == "nbsp") return " ";
    if (name.size() < 2 || name[0] != '#') return {};
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    unsigned long cp = 0;
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return {};
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    std::string out;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

// What an HTML tag turns into: a line break for block ends, a bullet for list items.
std::string TagReplacement(std::string_view tag) {
    if (tag.empty()) return {};
    std::string name =
        AsciiLower(tag.substr(0, tag.find_first_of(" \t\r\n/>", tag[0] == '/' ? 1 : 0)));
    if (name == "br" || name == "/li" || name == "/div" || name == "/tr") return "\n";
    if (name == "/p" || name == "/ul" || name == "/ol" ||
        (name.size() == 3 && name[0] == '/' && name[1] == 'h'))
        return "\n\n";
    if (name == "li") return "- ";
    return {};
}

// Whether a tag starts at text[i]: "<" then a letter, "/" or "!".
bool TagStartsAt(std::string_view text, size_t i) {
    if (text[i] != '<' || i + 1 >= text.size()) return false;
    char c = text[i + 1];
    return c == '/' || c == '!' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool LooksLikeHtml(std::string_view text) {
    for (size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
        if (TagStartsAt(text, i)) return true;
    }
    return false;
}

std::string StripTags(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        size_t end = TagStartsAt(text, i) ? text.find('>', i) : std::string_view::npos;
        if (end == std::string_view::npos) {
            out += text[i];
        } else {
            out += TagReplacement(text.substr(i + 1, end - i - 1));
            i = end;
        }
    }
    return out;
}

// `text` with the HTML entities DecodeEntity knows replaced; others are left as they are.
std::string DecodeEntities(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        size_t end = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
        std::string decoded = end != std::string_view::npos && end - i <= 10
                                  ? DecodeEntity(text.substr(i + 1, end - i - 1))
                                  : "";
        if (decoded.empty()) {
            out += text[i];
        } else {
            out += decoded;
            i = end;
        }
    }
    return out;
}

// Markdown-ish markup on one line: "# " headings, "* " bullets, **bold**, __bold__ and
// [text](url) links.
std::string StripMarkdownLine(std::string_view line) {
    std::string out;
    size_t start = 0;
    while (start < line.size() && line[start] == '#') ++start;
    if (start > 0 && start < line.size() && line[start] == ' ') {
        line.remove_prefix(start + 1);
    }
    if (line.size() > 1 && (line[0] == '*' || line[0] == '+') && line[1] == ' ') {
        out += "- ";
        line.remove_prefix(2);
    }
    for (size_t i = 0; i < line.size(); ++i) {
        if ((line[i] == '*' || line[i] == '_') && i + 1 < line.size() && line[i + 1] == line[i]) {
            ++i;  // drop the emphasis marker
            continue;
        }
        if (line[i] == '[') {
            size_t close = line.find("](", i);
            size_t paren = close == std::string_view::npos ? close : line.find(')', close);
            if (paren != std::string_view::npos &&
                line.substr(i, close - i).find('\n') == std::string_view::npos) {
                out += line.substr(i + 1, close - i - 1);
                i = paren;
                continue;
            }
        }
        out += line[i];
    }
    return out;
}

// One line with runs of whitespace made single spaces and the ends trimmed.
std::string CollapseSpaces(std::string_view line) {
    std::string out;
    bool space = false;
    for (char c : line) {
        if (IsSpace(c)) {
            space = !out.empty();
        } else {
            if (space) out += ' ';
            space = false;
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string Trim(std::string_view text) {
    while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
    return std::string(text);
}

std::string AsciiLower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string PlainText(std::string_view text) {
    std::string trimmed = Trim(text);
    std::string body;
    if (!DraftJsToText(trimmed, body)) body = LooksLikeHtml(trimmed) ? StripTags(trimmed) : trimmed;
    body = DecodeEntities(body);

    std::string out;
    size_t blank_lines = 0;
    size_t pos = 0;
    while (pos <= body.size()) {
        size_t end = body.find('\n', pos);
        if (end == std::string::npos) end = body.size();
        std::string line =
            CollapseSpaces(StripMarkdownLine(std::string_view(body).substr(pos, end - pos)));
        pos = end + 1;
        if (line.empty()) {
            ++blank_lines;
            continue;
        }
        if (!out.empty()) out += blank_lines > 0 ? "\n\n" : "\n";
        out += line;
        blank_lines = 0;
    }
    return out;
}

size_t CodePointCount(std::string_view text) {
    size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

std::string Truncate(std::string_view text, size_t max_code_points) {
    if (CodePointCount(text) <= max_code_points) return std::string(text);
    // Keep room for the ellipsis; find the byte where code point number `keep` starts.
    size_t keep = max_code_points > 0 ? max_code_points - 1 : 0;
    size_t cut = 0;
    for (size_t seen = 0; cut < text.size(); ++cut) {
        if ((static_cast<unsigned char>(text[cut]) & 0xC0) != 0x80 && seen++ == keep) break;
    }
    size_t space = text.substr(0, cut).find_last_of(" \n");
    if (space != std::string_view::npos && space > cut * 4 / 5) cut = space;
    std::string out = Trim(text.substr(0, cut));
    return max_code_points > 0 ? out + "…" : out;
}

}  // namespace tnohaku::importer
