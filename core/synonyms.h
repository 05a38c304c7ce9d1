// Synonyms and abbreviations applied at query time (format: schema/synonyms/README.md).
//
// A synonyms file is groups of expressions that mean the same to a person searching, one
// group per line, expressions separated by "~":
//     TE-palvelut ~ työllisyyspalvelut ~ työvoimapalvelut
//     maahanmuuttaja ~ maahan muuttanut ~ invandrare ~ immigrant
// QueryBuilder (core/query_builder.h) analyses every expression with the same Analyzer as
// queries and records, so a query word meets an expression in any inflection
// ("maahanmuuttajille" meets "maahanmuuttaja"); the other expressions of its group are
// then searched too, weighing less than the words as typed. The index is not involved:
// editing the file changes searching at the next Searcher::Refresh().
//
// Ownership and threads: Synonyms is an immutable value, shared read-only between
// threads through std::shared_ptr<const Synonyms>. SynonymsFile is used by one thread
// (each Searcher owns one).
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tnohaku {

class Synonyms {
  public:
    // Longest expression (words) and most expressions in a group, to keep queries small.
    static constexpr size_t kMaxExpressionWords = 5;
    static constexpr size_t kMaxGroupSize = 20;

    // Parses the text of a synonyms file. `source` names it in errors, which say
    // "source:line: why" (an expression missing between "~", a group of one expression,
    // an expression of too many words, a repeated expression, invalid UTF-8).
    static Result<Synonyms> Parse(std::string_view text, const std::string& source);
    static Result<Synonyms> Load(const std::string& path);

    // Each group's expressions as written (trimmed, inner spaces collapsed).
    const std::vector<std::vector<std::string>>& groups() const { return groups_; }
    bool empty() const { return groups_.empty(); }
    // A hash of the parsed text, never 0: tells answers of different synonyms apart.
    uint64_t fingerprint() const { return fingerprint_; }

  private:
    std::vector<std::vector<std::string>> groups_;
    uint64_t fingerprint_ = 0;
};

// A synonyms file that is read again when its modification time or size changes.
class SynonymsFile {
  public:
    // Reads `path` now; fails with the file's error.
    static Result<std::unique_ptr<SynonymsFile>> Open(const std::string& path);

    // Reads the file again if it changed since the last read. On an error the previous
    // synonyms stay in use and the error is returned (naming file:line).
    Status Refresh();
    std::shared_ptr<const Synonyms> current() const { return current_; }
    const std::string& path() const { return path_; }

  private:
    explicit SynonymsFile(std::string path) : path_(std::move(path)) {}
    Status Read();

    std::string path_;
    std::shared_ptr<const Synonyms> current_;
    std::time_t mtime_ = 0;
    long long mtime_ns_ = 0;
    long long size_ = -1;
};

}  // namespace tnohaku
