#include "core/suggest.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <rapidjson/document.h>

#include "core/index_format.h"
#include "core/json_util.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

// Records considered for name suggestions (the best matches of the typed words).
constexpr Xapian::doccount kNameCandidates = 100;
// Words considered when completing the last typed word.
constexpr size_t kTermCandidates = 2000;

bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// The words of a folded text, split at ASCII space and punctuation.
std::vector<std::string_view> Words(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    auto word_char = [](unsigned char c) { return c >= 0x80 || std::isalnum(c); };
    while (i < s.size()) {
        while (i < s.size() && !word_char(s[i])) ++i;
        size_t begin = i;
        while (i < s.size() && word_char(s[i])) ++i;
        if (i > begin) out.push_back(s.substr(begin, i - begin));
    }
    return out;
}

struct NameAndId {
    std::string name, id;
};

NameAndId ReadName(const std::string& data, Lang lang) {
    rapidjson::Document doc;
    doc.Parse(data.data(), data.size());
    NameAndId out;
    if (doc.HasParseError() || !doc.IsObject()) return out;
    out.id = json::GetString(doc, "id");
    if (const auto* name = json::Find(doc, "name")) {
        LangText text;
        for (Lang l : kAllLangs) text[l] = json::GetString(*name, LangCode(l));
        out.name = text.Display(lang);
    }
    return out;
}

std::string Trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
    return s.substr(start);
}

}  // namespace

std::vector<Suggestion> SuggestCompletions(const Xapian::Database& db, QueryBuilder& builder,
                                           const std::string& typed, Lang lang, size_t limit) {
    std::vector<Suggestion> out;
    limit = std::min<size_t>(limit, 10);
    const std::string folded = Analyzer::StripAccents(Trim(Analyzer::Fold(typed)));
    if (limit == 0 || folded.empty()) return out;
    // Completions OR-ed: name candidates rank the same over shards as in one index.
    TextQuery query = builder.Text(typed, lang, nullptr, Xapian::Query::OP_OR);
    if (query.empty()) return out;
    std::set<std::string> seen;  // folded, accent-free texts already suggested

    // Record names.
    const std::string last =
        query.prefix_last ? Analyzer::StripAccents(query.words.back().surface) : "";
    Xapian::Enquire enquire(db);
    enquire.set_query(query.all);
    // Equal weights in id order, not docid order, which depends on the shards. Every match
    // is looked at (as searches do): with early termination Xapian 1.4.22's remote server
    // crashes on some prefix queries.
    enquire.set_sort_by_relevance_then_value(fmt::kId, false);
    Xapian::MSet mset = enquire.get_mset(0, kNameCandidates, db.get_doccount());
    std::vector<Suggestion> starts, word_starts;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        NameAndId r = ReadName(it.get_document().get_data(), lang);
        if (r.name.empty()) continue;
        std::string name = Analyzer::StripAccents(Analyzer::Fold(r.name));
        Suggestion s{r.name, "name", r.id};
        if (StartsWith(name, folded)) {
            starts.push_back(std::move(s));
        } else if (!last.empty()) {
            auto words = Words(name);
            if (std::any_of(words.begin(), words.end(),
                            [&](std::string_view w) { return StartsWith(w, last); })) {
                word_starts.push_back(std::move(s));
            }
        }
    }
    for (auto* list : {&starts, &word_starts}) {
        for (auto& s : *list) {
            if (out.size() >= limit) return out;
            if (seen.insert(Analyzer::StripAccents(Analyzer::Fold(s.text))).second)
                out.push_back(std::move(s));
        }
    }

    // Words completing the last one.
    if (!query.prefix_last) return out;
    std::vector<std::string> head;
    for (size_t i = 0; i + 1 < query.words.size(); ++i) head.push_back(query.words[i].surface);
    const std::string prefix = fmt::TextPrefix(lang, TermKind::kWhole) + query.words.back().surface;
    std::vector<std::pair<Xapian::doccount, std::string>> terms;
    for (auto it = db.allterms_begin(prefix);
         it != db.allterms_end(prefix) && terms.size() < kTermCandidates; ++it) {
        terms.emplace_back(it.get_termfreq(), (*it).substr(3));
    }
    std::stable_sort(terms.begin(), terms.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [freq, term] : terms) {
        if (out.size() >= limit) break;
        std::vector<std::string> words = head;
        words.push_back(term);
        std::string text = JoinWords(words);
        if (seen.insert(Analyzer::StripAccents(text)).second) out.push_back({text, "term", ""});
    }
    return out;
}

}  // namespace tnohaku
