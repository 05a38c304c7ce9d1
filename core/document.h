// DocumentBuilder: turns a validated Record into a Xapian::Document, following
// schema/index-format.md (the contract with the server): the id term, text terms from
// core/analyzer.h per language and field weight, boolean facet terms with ancestors,
// value slots for sorting, dates, locations and facet counting, and the record's JSON as
// document data.
//
// Thread safety: holds an Analyzer (per thread) and a collator; one builder per thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/collation.h"
#include "core/index_format.h"
#include "core/record.h"
#include "core/vocab.h"

namespace tnohaku {

struct BuiltDocument {
    Xapian::Document document;
    std::string id_term;
    // Whole words to add to the spelling table (the writer adds them: spelling data lives
    // in the database, not the document).
    std::vector<std::string> spelling_words;
};

class DocumentBuilder {
  public:
    // `vocab` must outlive the builder.
    static Result<std::unique_ptr<DocumentBuilder>> Create(const Vocabulary& vocab,
                                                           const AnalyzerOptions& options = {});
    BuiltDocument Build(const Record& record);

  private:
    DocumentBuilder(const Vocabulary& vocab, std::unique_ptr<Analyzer> analyzer,
                    std::unique_ptr<SortKeyMaker> sort_keys);
    void AddText(Xapian::Document& doc, std::string_view text, Lang lang, Xapian::termcount weight,
                 std::vector<std::string>* spelling);
    void AddFacets(Xapian::Document& doc, const Record& record);
    void AddValues(Xapian::Document& doc, const Record& record);

    const Vocabulary& vocab_;
    std::unique_ptr<Analyzer> analyzer_;
    std::unique_ptr<SortKeyMaker> sort_keys_;
};

}  // namespace tnohaku
