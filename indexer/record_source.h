// RecordSource: the first half of the indexing pipeline. One background thread reads the
// input files line by line, parses and validates each record and builds its document
// (the costly Finnish analysis); the indexing thread takes the results in input order
// and only writes them. Analysis and Xapian's writing thus run at the same time.
//
// Per line the source decides everything that needs only the line itself: blank lines
// are skipped, lines over 1 MiB are rejected unparsed, and a line that cannot be parsed
// still yields its id when it starts with {"id":"…"}. What needs the whole run
// (duplicate ids, previous versions) is the indexing thread's business.
//
// Ownership and threads: the source owns the readers and uses the DocumentBuilder given
// to it from its own thread only, from Start until it is destroyed; the builder and the
// vocabulary must outlive it. NextBatch is called from one thread. Destroying the source
// stops and joins the background thread.
#pragma once

#include <condition_variable>
#include <deque>
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
    RecordSource(std::vector<std::unique_ptr<LineReader>> readers, const Vocabulary& vocab,
                 DocumentBuilder& builder);
    ~RecordSource();
    RecordSource(const RecordSource&) = delete;
    RecordSource& operator=(const RecordSource&) = delete;

    // Starts the background thread.
    void Start();
    // The next items in input order; an empty batch at the end of the input. A read error
    // ends the stream with its Status.
    Result<std::vector<SourceItem>> NextBatch();

    // The name of file `i` for messages ("<stdin>" for "-").
    const std::string& file_name(size_t i) const { return readers_[i]->name(); }

  private:
    void Produce();
    Status ReadAll();
    SourceItem Process(size_t file, const Line& line, uint64_t bytes_done);
    bool Push(std::vector<SourceItem> batch);  // false when stopped

    std::vector<std::unique_ptr<LineReader>> readers_;
    const Vocabulary& vocab_;
    DocumentBuilder& builder_;
    std::thread thread_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<SourceItem>> queue_;
    bool finished_ = false;  // the producer has pushed its last batch
    bool stopped_ = false;   // the consumer wants no more
    Status error_;           // why the producer finished early
};

// The id of a line that could not be parsed, when the line starts the way canonical
// records do, with {"id":"…"}; empty otherwise. Only the first member counts: an "id"
// further on may belong to an organisation.
std::string GuessId(std::string_view line);

}  // namespace tnohaku::indexer
