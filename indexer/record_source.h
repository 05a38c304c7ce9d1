// RecordSource: the first half of the indexing pipeline. A reader thread reads the input
// files line by line into numbered batches; N analysis threads each take whole batches,
// parse and validate each record and build its document (the costly Finnish analysis);
// the indexing thread takes the results in input order and only writes them. Analysis
// runs on several cores while Xapian writes, and the order (so the docids and the whole
// index) is the same for any number of analysis threads.
//
// Per line the source decides everything that needs only the line itself: blank lines
// are skipped, lines over 1 MiB are rejected unparsed, and a line that cannot be parsed
// still yields its id when it starts with {"id":"…"}. What needs the whole run
// (duplicate ids, previous versions) is the indexing thread's business.
//
// Ownership and threads: the source owns the readers. It uses builders[i] from its
// analysis thread i only, from Start until it is destroyed; the builders and the
// vocabulary must outlive it, and there is one analysis thread per builder. NextBatch is
// called from one thread. Destroying the source stops and joins its threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/document.h"
#include "core/record.h"
#include "core/status.h"
#include "core/vocab.h"
#include "indexer/line_reader.h"

namespace tnohaku::indexer {

struct SourceItem {
    size_t file = 0;                     // index into the readers given to the source
    uint64_t line = 0;                   // 1-based line number in that file
    uint64_t bytes_done = 0;             // bytes of all input read up to and including this line
    ParsedRecord parsed;                 // errors non-empty = rejected; record.id may still be set
    std::optional<BuiltDocument> built;  // the document, for a valid record
};

class RecordSource {
  public:
    // `builders`: at least one; one analysis thread each.
    RecordSource(std::vector<std::unique_ptr<LineReader>> readers, const Vocabulary& vocab,
                 std::vector<DocumentBuilder*> builders);
    ~RecordSource();
    RecordSource(const RecordSource&) = delete;
    RecordSource& operator=(const RecordSource&) = delete;

    // Starts the reader and analysis threads.
    void Start();
    // The next items in input order; an empty batch at the end of the input. A read error
    // ends the stream with its Status after every item read before it.
    Result<std::vector<SourceItem>> NextBatch();

    // Gives back a batch that NextBatch returned and the caller has finished with: an
    // analysis thread frees it, so that the writing thread spends no time on freeing
    // documents (and memory goes back to the thread that allocated it).
    void Recycle(std::vector<SourceItem> spent);

    // The name of file `i` for messages ("<stdin>" for "-").
    const std::string& file_name(size_t i) const { return readers_[i]->name(); }

  private:
    // A line as read, waiting for analysis.
    struct RawLine {
        size_t file = 0;
        Line line;
        uint64_t bytes_done = 0;
    };
    struct RawBatch {
        uint64_t number = 0;  // position of the batch in the input, from 0
        std::vector<RawLine> lines;
    };

    void Read();
    Status ReadAll();
    bool Push(std::vector<RawLine> lines);  // false when stopped
    void Analyse(DocumentBuilder& builder);
    SourceItem Process(DocumentBuilder& builder, const RawLine& raw) const;
    bool Finished() const;  // with mutex_ held

    std::vector<std::unique_ptr<LineReader>> readers_;
    const Vocabulary& vocab_;
    std::vector<DocumentBuilder*> builders_;
    std::thread reader_thread_;
    std::vector<std::thread> analysis_threads_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<RawBatch> waiting_;                          // read, not yet analysed
    std::map<uint64_t, std::vector<SourceItem>> analysed_;  // by batch number
    std::vector<std::vector<SourceItem>> spent_;            // to be freed (Recycle)
    uint64_t batches_read_ = 0;
    uint64_t next_batch_ = 0;    // the number NextBatch hands over next
    bool reading_done_ = false;  // the reader has pushed its last batch
    bool stopped_ = false;       // the consumer wants no more, or analysis failed
    Status read_error_;          // why reading ended early
    Status analysis_error_;      // an analysis thread's unexpected failure
};

// The id of a line that could not be parsed, when the line starts the way canonical
// records do, with {"id":"…"}; empty otherwise. Only the first member counts: an "id"
// further on may belong to an organisation.
std::string GuessId(std::string_view line);

}  // namespace tnohaku::indexer
