// VoikkoWords: Finnish base forms and compound parts from libvoikko's morphological
// analysis (voikko-fi dictionary). Used only by the Analyzer (core/analyzer.h).
//
// For one word, Voikko returns zero or more analyses, each a set of attributes:
//   BASEFORM   the lemma: "työllisyyspalveluihin" → "työllisyyspalvelu"
//   WORDBASES  the morphemes with their bases:
//              "+työ(työ)+llisy(+nen)+ys(+ys)+palvel(palvella)+u(+u)"
//              a base without "+" is a root (a dictionary word), "(+nen)" a derivational
//              suffix, no parentheses a linking letter; "+-" the hyphen of a compound.
//   STRUCTURE  "=pppppppppp=ppppppppppp": "=" starts a compound component of the written
//              word, one letter per character. Proper-name analyses have no WORDBASES.
//   CLASS      word class ("teonsana" = verb, "nimisana" = noun, "nimi" = name, ...)
//
// From these, WordForms holds every distinct BASEFORM ("wholes") and, as "parts", the
// components of a compound in base form (työllisyys, palvelu) and the verb a word is
// derived from (ohjaaja, ohjaus → ohjata; osaamiskeskus → osata). Verb roots are what
// links the agent, action and verb of one idea (ohjaaja / ohjaus / ohjata); noun roots
// are not emitted because they drift in meaning (työ → työllisyys, tausta → taustainen).
//
// Ownership and threads: owns one Voikko handle (~14 MB) and a small cache of verb
// checks. Not thread-safe (Voikko handles must not be shared); one per Analyzer.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"

struct VoikkoHandle;

namespace tnohaku {

// Terms are case-folded NFC UTF-8. Both lists are distinct; wholes are never repeated in
// parts. An empty `wholes` means Voikko does not know the word.
struct WordForms {
    std::vector<std::string> wholes;
    std::vector<std::string> parts;
    bool known() const { return !wholes.empty(); }
};

class VoikkoWords {
  public:
    // `path`: a dictionary folder searched before the standard locations; empty = only the
    // standard locations. `verb_cache_capacity`: distinct roots whose word class is cached.
    static Result<std::unique_ptr<VoikkoWords>> Open(const std::string& path,
                                                     size_t verb_cache_capacity);
    ~VoikkoWords();
    VoikkoWords(const VoikkoWords&) = delete;
    VoikkoWords& operator=(const VoikkoWords&) = delete;

    // Analyses one case-folded NFC word (no spaces). Does not cache: the Analyzer caches
    // the finished terms per word.
    WordForms Analyze(const std::string& word);

  private:
    VoikkoWords(VoikkoHandle* handle, size_t verb_cache_capacity);
    // Whether Voikko knows `lemma` as a verb in its dictionary form (cached).
    bool IsVerb(const std::string& lemma);
    void AddPartsFromWordBases(const std::string& wordbases, WordForms& out);

    VoikkoHandle* handle_;
    size_t verb_cache_capacity_;
    std::unordered_map<std::string, bool> verb_cache_;
};

}  // namespace tnohaku
