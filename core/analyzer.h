// Analyzer: THE text analysis of tnohaku. Indexing and querying both call it, so a word
// in a query and the same word in a record always meet on the same terms.
//
// Pipeline per text: ICU word breaking (the language's locale rules) → per word, ICU NFC
// normalisation and case folding → language-specific terms:
//   Finnish  Voikko (libvoikko + voikko-fi) base forms, compound parts and the verbs words
//            derive from (core/voikko_words.h); Snowball "finnish" for words Voikko does
//            not know (names, abbreviations). Hyphenated compounds (opinto-ohjaus,
//            TE-palvelut), which ICU splits, are joined back into one token that gives the
//            whole compound and each piece's terms as parts.
//   Swedish  Snowball "swedish".   English  Snowball "english".
//   Numbers and codes ("2024", "p5.1") pass through as written; "2024:n" is 2024.
// Every term also has an accent-free form (ä→a, ö→o, å→a) so that "etsiva nuorisotyo"
// still meets "Etsivä nuorisotyö", while å ä ö stay distinct letters in the main terms.
//
// Example: "työllisyyspalveluihin" → kWhole työllisyyspalvelu; kPart työllisyys, palvelu,
// palvella; kFolded tyollisyyspalvelu, tyollisyys. "TE-palveluiden" → kWhole te-palvelu;
// kPart te, palvelu, palvella.
//
// Terms carry no Xapian prefix: document.cpp and query_builder.cpp add the prefix of the
// field and language (schema/index-format.md). How a query meets the index:
//   - a query's kWhole and kPart terms should be looked up among the text's kWhole AND
//     kPart terms (the query "palvelu" is a part of "työllisyyspalvelut" in the text);
//   - a query's kFolded terms among the text's kFolded terms. Analyze emits kFolded only
//     where it differs from the term, AnalyzeQuery for every term (even when equal), so a
//     query typed without accents meets the accent-free forms of accented text.
//   - a token's terms are alternatives (OR); the words of a query are its tokens.
//
// Ownership and threads: an Analyzer owns a Voikko handle (~14 MB) and a per-word cache,
// so it is NOT thread-safe. Use one per thread (the server keeps one in each pooled
// searcher). Create() is cheap (about a millisecond with a warm page cache). Fold() and
// StripAccents() are static, stateless and thread-safe.
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
    kWhole,   // the word's base form (Voikko lemma, or Snowball stem as fallback); every
              // base form when Voikko finds several (nuorille → nuori, nuora)
    kPart,    // a part of a compound word (työllisyyspalvelu → työllisyys, palvelu), a
              // piece of a hyphenated one, or the verb a word derives from
              // (ohjaaja, ohjaus → ohjata)
    kFolded,  // an accent-free variant, for input typed without å ä ö
};

struct Term {
    std::string text;  // lower case, NFC, no prefix
    TermKind kind;
    bool operator==(const Term&) const = default;
};

// One word of the analysed text. Words Voikko and Snowball give no terms for, and words
// longer than 120 bytes, are left out (positions count only the tokens returned).
struct Token {
    uint32_t begin = 0;     // byte offset of the word in the analysed (UTF-8) text
    uint32_t end = 0;       // one past its last byte: text.substr(begin, end - begin)
    uint32_t position = 0;  // 1-based word position (phrase and proximity)
    std::string surface;    // the word as written, case-folded and NFC, hyphens as "-"
    // Never empty. Ordered kWhole, kPart, kFolded; no Term twice; no text twice except a
    // query's kFolded copy of an accent-free term; no empty or >120-byte term.
    std::vector<Term> terms;
};

struct AnalyzerOptions {
    // Voikko dictionary path; empty = the system default (voikko-fi's installation).
    std::string voikko_path;
    // Distinct words whose terms are cached (per language, and apart for queries); the
    // cache is cleared when full. 0 = no cache. About 150–250 bytes per word.
    size_t cache_capacity = 200000;
};

class Analyzer {
  public:
    // Opens Voikko for Finnish, the Snowball stemmers and ICU's word break rules. Fails
    // with a message naming the missing piece, e.g. "Finnish dictionary not found:
    // install voikko-fi (voikkoInit: ...)".
    static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options = {});
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    // Analyses text written in `lang`, for indexing a field in that language.
    std::vector<Token> Analyze(std::string_view text, Lang lang);

    // Analyses a query typed by a person and meant for fields in `lang`. Differs from
    // Analyze only where people type differently from how catalogues are written:
    //   - a Finnish word Voikko does not know, typed without umlauts, is also tried with
    //     a→ä and o→ö restored (up to 5 letters): "nuorisotyo" gives kWhole nuorisotyö
    //     (and its parts) as well as the Snowball stem of what was typed;
    //   - every term's accent-free form is given as kFolded, even when it is the same.
    std::vector<Token> AnalyzeQuery(std::string_view text, Lang lang);

    // Case-folds and NFC-normalises text (used for facet labels, suggestions and
    // highlighting): Fold("ÄITI Öljy") == "äiti öljy".
    static std::string Fold(std::string_view text);
    // Removes diacritics (combining marks after NFD): StripAccents("äö å") == "ao a".
    // Letters without a decomposition (ø, æ, ß) stay.
    static std::string StripAccents(std::string_view folded_text);

  private:
    struct Impl;
    explicit Analyzer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tnohaku
