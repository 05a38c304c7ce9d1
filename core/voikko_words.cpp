#include "core/voikko_words.h"

#include <libvoikko/voikko.h>

#include <algorithm>
#include <string_view>

#include "core/analyzer.h"

namespace tnohaku {
namespace {

void AddUnique(std::vector<std::string>& list, std::string term) {
    if (term.empty() || term == "-") return;
    if (std::find(list.begin(), list.end(), term) == list.end()) list.push_back(std::move(term));
}

// An attribute value of one analysis; "" when absent. Voikko allocates a copy per call.
std::string Attribute(const voikko_mor_analysis* analysis, const char* key) {
    char* value = voikko_mor_analysis_value_cstr(analysis, key);
    if (value == nullptr) return {};
    std::string out(value);
    voikko_free_mor_analysis_value_cstr(value);
    return out;
}

// Owns the analysis list Voikko returns, so that every path frees it.
class Analyses {
  public:
    Analyses(VoikkoHandle* handle, const std::string& word)
        : list_(voikkoAnalyzeWordCstr(handle, word.c_str())) {}
    ~Analyses() {
        if (list_ != nullptr) voikko_free_mor_analysis(list_);
    }
    Analyses(const Analyses&) = delete;
    Analyses& operator=(const Analyses&) = delete;
    voikko_mor_analysis** begin() const { return list_; }
    voikko_mor_analysis** end() const {
        voikko_mor_analysis** it = list_;
        while (it != nullptr && *it != nullptr) ++it;
        return it;
    }

  private:
    voikko_mor_analysis** list_;
};

// One "+surface(base)" morpheme of WORDBASES.
struct Morpheme {
    std::string_view surface, base;  // base is empty when there are no parentheses
};

// Splits WORDBASES at the "+" that are not inside parentheses ("(+nen)" has one inside).
std::vector<Morpheme> SplitWordBases(std::string_view wordbases) {
    std::vector<Morpheme> out;
    int depth = 0;
    size_t start = std::string_view::npos;
    auto flush = [&](size_t end) {
        if (start == std::string_view::npos || end <= start) return;
        std::string_view text = wordbases.substr(start, end - start);
        size_t open = text.find('(');
        Morpheme m{text.substr(0, open), {}};
        if (open != std::string_view::npos && text.back() == ')') {
            m.base = text.substr(open + 1, text.size() - open - 2);
        }
        out.push_back(m);
    };
    for (size_t i = 0; i < wordbases.size(); ++i) {
        char c = wordbases[i];
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (c == '+' && depth == 0) {
            flush(i);
            start = i + 1;
        }
    }
    flush(wordbases.size());
    return out;
}

// A component of a compound: a root morpheme and the suffixes and linking letters after it.
struct Component {
    std::string form;  // the morphemes as written in the base form: "työllisyys", "palvelu"
    std::string root;  // the root's dictionary word: "työ", "palvella"
    bool derived = false;
};

std::vector<Component> Components(std::string_view wordbases) {
    std::vector<Component> out;
    for (const Morpheme& m : SplitWordBases(wordbases)) {
        bool is_root = !m.base.empty() && m.base.front() != '+';
        if (is_root) {
            Component c{std::string(m.surface), std::string(m.base), false};
            // "maahan=muuttaja": a compound the dictionary lists as one word.
            std::erase(c.root, '=');
            out.push_back(std::move(c));
        } else if (m.surface != "-" && !out.empty()) {
            out.back().form += m.surface;
            if (!m.base.empty()) out.back().derived = true;
        }
    }
    return out;
}

// Byte length of the first `count` code points of `text`.
size_t PrefixBytes(std::string_view text, size_t count) {
    size_t i = 0;
    for (; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && count-- == 0) break;
    }
    return i;
}

// Splits BASEFORM by STRUCTURE, for analyses without WORDBASES (proper names): only the
// last component inflects, so the earlier ones appear in the base form unchanged.
std::vector<std::string> PartsFromStructure(std::string_view structure, std::string_view baseform) {
    std::vector<size_t> lengths;
    for (char c : structure) {
        if (c == '=')
            lengths.push_back(0);
        else if (!lengths.empty())
            ++lengths.back();
    }
    std::vector<std::string> parts;
    if (lengths.size() < 2) return parts;
    for (size_t i = 0; i + 1 < lengths.size() && !baseform.empty(); ++i) {
        size_t bytes = PrefixBytes(baseform, lengths[i]);
        std::string part(baseform.substr(0, bytes));
        if (!part.empty() && part.back() == '-') part.pop_back();
        parts.push_back(std::move(part));
        baseform.remove_prefix(bytes);
    }
    if (!baseform.empty()) parts.emplace_back(baseform);
    return parts;
}

}  // namespace

Result<std::unique_ptr<VoikkoWords>> VoikkoWords::Open(const std::string& path,
                                                       size_t verb_cache_capacity) {
    const char* error = nullptr;
    VoikkoHandle* handle = voikkoInit(&error, "fi", path.empty() ? nullptr : path.c_str());
    if (handle == nullptr) {
        std::string where = path.empty() ? "" : " in " + path + " or the standard locations";
        return Status::NotFound(
            "Finnish dictionary not found" + where +
            ": install voikko-fi (voikkoInit: " + (error ? error : "unknown error") + ")");
    }
    return std::unique_ptr<VoikkoWords>(new VoikkoWords(handle, verb_cache_capacity));
}

VoikkoWords::VoikkoWords(VoikkoHandle* handle, size_t verb_cache_capacity)
    : handle_(handle), verb_cache_capacity_(verb_cache_capacity) {}

VoikkoWords::~VoikkoWords() {
    voikkoTerminate(handle_);
}

WordForms VoikkoWords::Analyze(const std::string& word) {
    WordForms out;
    // Parts split from STRUCTURE are cruder ("osaamis" where WORDBASES says "osata"), so
    // they count only when no analysis of the word has WORDBASES.
    std::vector<std::string> structure_parts;
    bool had_wordbases = false;
    for (const voikko_mor_analysis* analysis : Analyses(handle_, word)) {
        std::string baseform = Attribute(analysis, "BASEFORM");
        if (baseform.empty()) continue;
        AddUnique(out.wholes, Analyzer::Fold(baseform));
        std::string wordbases = Attribute(analysis, "WORDBASES");
        had_wordbases = had_wordbases || !wordbases.empty();
        if (!wordbases.empty()) {
            AddPartsFromWordBases(wordbases, out);
        } else {
            for (auto& part : PartsFromStructure(Attribute(analysis, "STRUCTURE"), baseform)) {
                AddUnique(structure_parts, Analyzer::Fold(part));
            }
        }
    }
    if (!had_wordbases) {
        for (auto& part : structure_parts) AddUnique(out.parts, std::move(part));
    }
    std::erase_if(out.parts, [&](const std::string& p) {
        return std::find(out.wholes.begin(), out.wholes.end(), p) != out.wholes.end();
    });
    return out;
}

void VoikkoWords::AddPartsFromWordBases(const std::string& wordbases, WordForms& out) {
    std::vector<Component> components = Components(wordbases);
    for (const Component& c : components) {
        // A derived component is written in its base form ("työllisyys"); an underived
        // one may be inflected ("kaupungin"), so its root is the base form.
        if (components.size() >= 2)
            AddUnique(out.parts, Analyzer::Fold(c.derived ? c.form : c.root));
        if (c.derived && IsVerb(c.root)) AddUnique(out.parts, Analyzer::Fold(c.root));
    }
}

bool VoikkoWords::IsVerb(const std::string& lemma) {
    if (auto it = verb_cache_.find(lemma); it != verb_cache_.end()) return it->second;
    bool verb = false;
    for (const voikko_mor_analysis* analysis : Analyses(handle_, lemma)) {
        verb = verb || (Attribute(analysis, "CLASS") == "teonsana" &&
                        Attribute(analysis, "BASEFORM") == lemma);
    }
    if (verb_cache_.size() >= verb_cache_capacity_) verb_cache_.clear();
    verb_cache_.emplace(lemma, verb);
    return verb;
}

}  // namespace tnohaku
