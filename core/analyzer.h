// Analyzer: THE text analysis of tnohaku. Indexing and querying both call it, so a word
// in a query and the same word in a record always meet on the same terms.
//
// Pipeline per text: ICU NFC normalisation and case folding → ICU word breaking → per
// word, language-specific terms:
//   Finnish  Voikko (libvoikko + voikko-fi) base forms and compound parts, cached per
//            distinct word; Snowball "finnish" for words Voikko does not know (names,
//            abbreviations). Hyphenated compounds (opinto-ohjaus, TE-palvelut) give the
//            whole compound and each part.
//   Swedish  Snowball "swedish".   English  Snowball "english".
// Every word also yields an accent-free form (ä→a, ö→o, å→a) so that "etsiva nuorisotyo"
// still meets "Etsivä nuorisotyö", while å ä ö stay distinct letters in the main terms.
//
// Terms carry no Xapian prefix: document.cpp and query_builder.cpp add the prefix of the
// field and language (schema/index-format.md).
//
// Thread safety: an Analyzer holds a Voikko handle and a word cache, so it is NOT
// thread-safe. Use one per thread (the server keeps one in each pooled searcher).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/status.h"

namespace tnohaku {

// How strongly a term stands for the word it came from. Queries weigh kWhole above kPart
// (a whole-word match outranks a compound-part match) and kFolded lowest.
enum class TermKind : uint8_t {
    kWhole,   // the word's base form (Voikko lemma, or Snowball stem as fallback)
    kPart,    // a part of a compound word (työllisyyspalvelu → työllisyys, palvelu)
    kFolded,  // an accent-free variant, for input typed without å ä ö
};

struct Term {
    std::string text;  // lower case, NFC, no prefix
    TermKind kind;
    bool operator==(const Term&) const = default;
};

// One word of the analysed text.
struct Token {
    uint32_t begin = 0;      // byte offset of the word in the analysed text
    uint32_t end = 0;        // one past its last byte
    uint32_t position = 0;   // 1-based word position (phrase and proximity)
    std::string surface;     // the word as written, case-folded and NFC
    std::vector<Term> terms; // distinct terms, kWhole first
};

struct AnalyzerOptions {
    // Voikko dictionary path; empty = the system default (voikko-fi's installation).
    std::string voikko_path;
    // Distinct words whose analysis is cached; the cache is cleared when full.
    size_t cache_capacity = 200000;
};

class Analyzer {
public:
    // Opens Voikko for Finnish and the Snowball stemmers. Fails with a message naming the
    // missing piece (e.g. "Finnish dictionary not found: install voikko-fi").
    static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options = {});
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    // Analyses text written in `lang`, for indexing a field in that language.
    std::vector<Token> Analyze(std::string_view text, Lang lang);

    // Analyses a query typed by a person and meant for fields in `lang`. Differs from
    // Analyze only where people type differently from how catalogues are written: e.g. a
    // Finnish word typed without umlauts may be matched to the dictionary word with them.
    std::vector<Token> AnalyzeQuery(std::string_view text, Lang lang);

    // Case-folds and NFC-normalises text (used for facet labels, suggestions and
    // highlighting), and strips accents for the folded form.
    static std::string Fold(std::string_view text);
    static std::string StripAccents(std::string_view folded_text);

private:
    struct Impl;
    explicit Analyzer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tnohaku
