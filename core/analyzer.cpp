#include "core/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_map>

#include "core/voikko_words.h"

namespace tnohaku {
namespace {

// Terms longer than this are dropped (Xapian's limit is 245 bytes with the prefix).
constexpr size_t kMaxTermBytes = 120;
// A query word without umlauts is tried with at most 2^5 - 1 restorations.
constexpr size_t kMaxUmlautPositions = 5;

bool IsAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
}

bool HasDigit(std::string_view word) {
    return word.find_first_of("0123456789") != std::string_view::npos;
}

std::string ToUtf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

icu::UnicodeString FromUtf8(std::string_view text) {
    return icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

// Byte length of the hyphen (U+002D, U+2010, U+2011) at `pos`, or 0.
size_t HyphenAt(std::string_view text, size_t pos) {
    if (pos < text.size() && text[pos] == '-') return 1;
    std::string_view rest = text.substr(pos, 3);
    return (rest == "\xE2\x80\x90" || rest == "\xE2\x80\x91") ? 3 : 0;
}

// The written form of a word: folded, hyphens as "-", soft hyphens (PDF copy) removed.
std::string Surface(std::string_view slice) {
    std::string out = Analyzer::Fold(slice);
    for (const char* from : {"\xE2\x80\x90", "\xE2\x80\x91"}) {
        for (size_t at; (at = out.find(from)) != std::string::npos;) out.replace(at, 3, 1, '-');
    }
    for (size_t at; (at = out.find("\xC2\xAD")) != std::string::npos;) out.erase(at, 2);
    return out;
}

std::vector<std::string> SplitHyphens(const std::string& surface) {
    std::vector<std::string> pieces;
    size_t start = 0;
    for (size_t at; (at = surface.find('-', start)) != std::string::npos; start = at + 1) {
        if (at > start) pieces.push_back(surface.substr(start, at - start));
    }
    if (start < surface.size()) pieces.push_back(surface.substr(start));
    return pieces;
}

// "eu:n", "2024:n" → "eu", "2024": Finnish and Swedish inflect abbreviations and numbers
// after a colon. "10:30" keeps its colon (digits follow).
std::string WithoutColonEnding(const std::string& word) {
    size_t colon = word.rfind(':');
    if (colon == std::string::npos || colon == 0) return word;
    bool letters = std::none_of(word.begin() + colon + 1, word.end(),
                                [](char c) { return c >= '0' && c <= '9'; });
    return letters ? word.substr(0, colon) : word;
}

void AddUnique(std::vector<std::string>& list, std::string term) {
    if (!term.empty() && std::find(list.begin(), list.end(), term) == list.end()) {
        list.push_back(std::move(term));
    }
}

// The terms of one word before they become Terms.
struct Forms {
    std::vector<std::string> wholes, parts;
    std::vector<std::string> folded;  // accent-free forms beyond those of wholes and parts

    void Merge(Forms other) {
        for (auto& w : other.wholes) AddUnique(wholes, std::move(w));
        for (auto& p : other.parts) AddUnique(parts, std::move(p));
        for (auto& f : other.folded) AddUnique(folded, std::move(f));
    }
};

// Builds a token's term list: kWhole, then kPart, then kFolded; no text twice, except
// that a query gives every term's accent-free form as kFolded even when it is the same
// text (the query builder looks kFolded terms up in the accent-free field).
std::vector<Term> MakeTerms(const Forms& forms, bool query) {
    std::vector<Term> terms;
    auto has = [&](const std::string& text, bool folded_only) {
        return std::any_of(terms.begin(), terms.end(), [&](const Term& t) {
            return t.text == text && (!folded_only || t.kind == TermKind::kFolded);
        });
    };
    auto add = [&](const std::string& text, TermKind kind) {
        if (text.empty() || text.size() > kMaxTermBytes) return;
        bool folded_only = kind == TermKind::kFolded && query;
        if (!has(text, folded_only)) terms.push_back({text, kind});
    };
    for (const auto& w : forms.wholes) add(w, TermKind::kWhole);
    for (const auto& p : forms.parts) add(p, TermKind::kPart);
    size_t main_terms = terms.size();
    for (size_t i = 0; i < main_terms; ++i) {
        add(Analyzer::StripAccents(terms[i].text), TermKind::kFolded);
    }
    for (const auto& f : forms.folded) add(f, TermKind::kFolded);
    return terms;
}

// A word or a hyphen-joined run of words, as byte offsets into the text.
struct Span {
    uint32_t begin, end;
    bool numeric;  // ICU's rule status says number: "2024", "3.5"
};

// Whether `next` continues the span `last` as one word: "opinto" "-" "ohjaus" (ICU breaks
// at hyphens; a compound must stay one token, but number ranges like "2024-2028" stay
// apart), and with `colon_endings`, "2024" ":" "n" (Finnish and Swedish inflect numbers
// after a colon; ICU's fi and sv rules already keep "EU:n" whole).
bool Continues(std::string_view text, const Span& last, const Span& next, bool colon_endings) {
    size_t hyphen = HyphenAt(text, last.end);
    if (hyphen != 0) return last.end + hyphen == next.begin && !(last.numeric && next.numeric);
    return colon_endings && last.numeric && !next.numeric && text[last.end] == ':' &&
           last.end + 1 == next.begin && next.end - next.begin <= 6;
}

// ICU's word segments, with hyphenated runs and colon endings joined (Continues).
std::vector<Span> WordSpans(icu::BreakIterator& breaker, std::string_view text,
                            bool colon_endings) {
    std::vector<Span> spans;
    UErrorCode status = U_ZERO_ERROR;
    icu::LocalUTextPointer utext(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    breaker.setText(utext.getAlias(), status);
    if (U_FAILURE(status)) return spans;
    int32_t begin = breaker.first();
    for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE;
         begin = end, end = breaker.next()) {
        int32_t rule = breaker.getRuleStatus();
        if (rule < UBRK_WORD_NONE_LIMIT) continue;
        Span span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end),
                  rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT};
        if (!spans.empty() && Continues(text, spans.back(), span, colon_endings)) {
            spans.back().end = span.end;
            spans.back().numeric = span.numeric;
            continue;
        }
        spans.push_back(span);
    }
    return spans;
}

}  // namespace

struct Analyzer::Impl {
    std::unique_ptr<VoikkoWords> voikko;
    std::array<Xapian::Stem, 3> stemmers;  // by Lang
    std::array<std::unique_ptr<icu::BreakIterator>, 3> breakers;
    std::unordered_map<std::string, std::vector<Term>> cache;  // key: lang, mode, surface
    size_t cache_capacity = 0;

    std::vector<Token> Run(std::string_view text, Lang lang, bool query);
    std::vector<Term> TermsOf(const std::string& surface, Lang lang, bool query);
    Forms OneWord(const std::string& word, Lang lang, bool query);
    Forms Hyphenated(const std::string& surface, Lang lang, bool query);
    Forms Restored(const std::string& word);
    Forms SnowballForms(const std::string& word, Lang lang);
};

namespace {

size_t Index(Lang lang) {
    return static_cast<size_t>(lang);
}

// Every way of writing ä for a and ö for o in `word` (a query typed on a keyboard without
// them), nearest first; none when the word already has umlauts or too many a/o letters.
std::vector<std::string> UmlautCandidates(const std::string& word) {
    std::vector<size_t> positions;
    for (size_t i = 0; i < word.size(); ++i) {
        if (word[i] == 'a' || word[i] == 'o') positions.push_back(i);
    }
    std::vector<std::string> out;
    bool has_umlaut =
        word.find("\xC3\xA4") != std::string::npos || word.find("\xC3\xB6") != std::string::npos;
    if (has_umlaut || positions.empty() || positions.size() > kMaxUmlautPositions) return out;
    for (unsigned mask = 1; mask < (1u << positions.size()); ++mask) {
        std::string candidate;
        size_t from = 0;
        for (size_t bit = 0; bit < positions.size(); ++bit) {
            if (!(mask & (1u << bit))) continue;
            candidate.append(word, from, positions[bit] - from);
            candidate += word[positions[bit]] == 'a' ? "\xC3\xA4" : "\xC3\xB6";
            from = positions[bit] + 1;
        }
        out.push_back(candidate + word.substr(from));
    }
    std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
        return a.size() < b.size();
    });
    return out;
}

}  // namespace

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->cache_capacity = options.cache_capacity;
    TRY_ASSIGN(impl->voikko, VoikkoWords::Open(options.voikko_path,
                                               std::max<size_t>(options.cache_capacity / 8, 1024)));
    try {
        impl->stemmers = {Xapian::Stem("finnish"), Xapian::Stem("swedish"),
                          Xapian::Stem("english")};
    } catch (const Xapian::Error& e) {
        return Status::Internal("Snowball stemmers not available in Xapian: " +
                                e.get_description());
    }
    for (Lang lang : kAllLangs) {
        UErrorCode status = U_ZERO_ERROR;
        // The fi and sv locales keep "EU:n" one word (colon inflection); the root does not.
        icu::Locale locale(std::string(LangCode(lang)).c_str());
        impl->breakers[Index(lang)].reset(icu::BreakIterator::createWordInstance(locale, status));
        if (U_FAILURE(status) || !impl->breakers[Index(lang)]) {
            return Status::Internal(std::string("ICU word break rules not available: ") +
                                    u_errorName(status));
        }
    }
    return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
}

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

std::vector<Token> Analyzer::Analyze(std::string_view text, Lang lang) {
    return impl_->Run(text, lang, /*query=*/false);
}

std::vector<Token> Analyzer::AnalyzeQuery(std::string_view text, Lang lang) {
    return impl_->Run(text, lang, /*query=*/true);
}

std::vector<Token> Analyzer::Impl::Run(std::string_view text, Lang lang, bool query) {
    std::vector<Token> tokens;
    // Offsets are uint32_t; field texts are far smaller (the record schema limits them).
    if (text.size() >= std::numeric_limits<int32_t>::max()) return tokens;
    for (const Span& span : WordSpans(*breakers[Index(lang)], text, lang != Lang::kEn)) {
        Token token;
        token.begin = span.begin;
        token.end = span.end;
        token.surface = Surface(text.substr(span.begin, span.end - span.begin));
        if (token.surface.empty() || token.surface.size() > kMaxTermBytes) continue;
        token.terms = TermsOf(token.surface, lang, query);
        if (token.terms.empty()) continue;
        token.position = static_cast<uint32_t>(tokens.size() + 1);
        tokens.push_back(std::move(token));
    }
    return tokens;
}

std::vector<Term> Analyzer::Impl::TermsOf(const std::string& surface, Lang lang, bool query) {
    std::string key(1, static_cast<char>('0' + 2 * Index(lang) + (query ? 1 : 0)));
    key += surface;
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    bool hyphenated = surface.find('-') != std::string::npos;
    std::vector<Term> terms = MakeTerms(
        hyphenated ? Hyphenated(surface, lang, query) : OneWord(surface, lang, query), query);
    if (cache_capacity == 0) return terms;
    if (cache.size() >= cache_capacity) cache.clear();
    cache.emplace(std::move(key), terms);
    return terms;
}

// One word without hyphens.
Forms Analyzer::Impl::OneWord(const std::string& word, Lang lang, bool query) {
    if (HasDigit(word)) return Forms{{WithoutColonEnding(word)}, {}, {}};
    if (lang != Lang::kFi)
        return SnowballForms(lang == Lang::kSv ? WithoutColonEnding(word) : word, lang);
    WordForms known = voikko->Analyze(word);
    if (known.known()) return Forms{std::move(known.wholes), std::move(known.parts), {}};
    // Unknown to Voikko: an abbreviation with a colon ending ("te:n") is the abbreviation;
    // anything else gets a Snowball stem, which a query keeps next to a restored word.
    std::string bare = WithoutColonEnding(word);
    if (bare != word) return OneWord(bare, lang, query);
    Forms forms = query ? Restored(word) : Forms{};
    forms.Merge(SnowballForms(word, lang));
    return forms;
}

// For a query word Voikko does not know: Voikko's forms of the same word with umlauts
// restored ("etsiva" → "etsivä"), when such a word exists.
Forms Analyzer::Impl::Restored(const std::string& word) {
    Forms forms;
    for (const std::string& candidate : UmlautCandidates(word)) {
        WordForms restored = voikko->Analyze(candidate);
        if (restored.known())
            forms.Merge(Forms{std::move(restored.wholes), std::move(restored.parts), {}});
    }
    return forms;
}

// Snowball stems of the word as written and as written without accents, so that
// "Pöllöseltä" and "polloselta" meet on the accent-free form.
Forms Analyzer::Impl::SnowballForms(const std::string& word, Lang lang) {
    Xapian::Stem& stem = stemmers[Index(lang)];
    Forms forms{{stem(word)}, {}, {}};
    std::string plain = StripAccents(word);
    if (plain != word) forms.folded.push_back(stem(plain));
    return forms;
}

// "opinto-ohjaajien", "te-palvelut": the whole compound (Voikko's base form, or the
// first pieces as written and the last one's base form: "te-palvelu") and, as parts,
// each piece's own terms.
Forms Analyzer::Impl::Hyphenated(const std::string& surface, Lang lang, bool query) {
    std::vector<std::string> pieces = SplitHyphens(surface);
    if (pieces.size() == 1) return OneWord(pieces[0], lang, query);
    Forms forms;
    if (pieces.empty()) return forms;
    if (lang == Lang::kFi && !HasDigit(surface)) {
        WordForms known = voikko->Analyze(surface);
        forms = known.known() ? Forms{std::move(known.wholes), std::move(known.parts), {}}
                : query       ? Restored(surface)
                              : Forms{};
    }
    Forms last = OneWord(pieces.back(), lang, query);
    if (forms.wholes.empty()) {
        std::string head;
        for (size_t i = 0; i + 1 < pieces.size(); ++i) head += pieces[i] + "-";
        for (const auto& w : last.wholes) forms.wholes.push_back(head + w);
    }
    for (size_t i = 0; i < pieces.size(); ++i) {
        Forms piece = i + 1 < pieces.size() ? OneWord(pieces[i], lang, query) : std::move(last);
        for (auto& w : piece.wholes) AddUnique(forms.parts, std::move(w));
        for (auto& p : piece.parts) AddUnique(forms.parts, std::move(p));
        for (auto& f : piece.folded) AddUnique(forms.folded, std::move(f));
    }
    return forms;
}

std::string Analyzer::Fold(std::string_view text) {
    if (IsAscii(text)) {
        std::string out(text);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    // ICU owns the normaliser instances; they are immutable and thread-safe.
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return std::string(text);
    icu::UnicodeString folded = FromUtf8(text);
    folded.foldCase();
    icu::UnicodeString out = nfc->normalize(folded, status);
    return U_SUCCESS(status) ? ToUtf8(out) : ToUtf8(folded);
}

std::string Analyzer::StripAccents(std::string_view folded_text) {
    if (IsAscii(folded_text)) return std::string(folded_text);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return std::string(folded_text);
    icu::UnicodeString decomposed = nfd->normalize(FromUtf8(folded_text), status);
    icu::UnicodeString bare;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK) bare.append(c);
        i += U16_LENGTH(c);
    }
    icu::UnicodeString out = nfc->normalize(bare, status);
    return U_SUCCESS(status) ? ToUtf8(out) : ToUtf8(bare);
}

}  // namespace tnohaku
