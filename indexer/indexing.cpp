#include "indexer/indexing.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/document.h"
#include "core/generation_writer.h"
#include "core/index_format.h"
#include "core/index_store.h"
#include "core/validate.h"
#include "indexer/index_writers.h"
#include "indexer/line_reader.h"
#include "indexer/record_source.h"
#include "indexer/report.h"

namespace tnohaku::indexer {
namespace {

struct Occurrence {
    size_t file = 0;
    uint64_t line = 0;
};

// A rejected record whose previous version goes into the new generation at the end of
// the input (when the builder is free again).
struct PendingKeep {
    std::string id;
    StoredDocument previous;
};

class IndexRun {
  public:
    IndexRun(const IndexOptions& options, Report& report) : options_(options), report_(report) {}

    Status Prepare();
    Status IndexFiles();
    Status ApplyDeletes();
    Result<int> Finish();

  private:
    Status Handle(SourceItem& item);
    std::optional<FieldError> CheckDuplicate(const SourceItem& item);
    Status Reject(const SourceItem& item, const std::vector<FieldError>& errors,
                  bool keep_previous);
    Status WriteKept();

    const IndexOptions& options_;
    Report& report_;
    std::shared_ptr<const Vocabulary> vocab_;
    std::unique_ptr<DocumentBuilder> builder_;                // this thread's (kept versions)
    std::vector<std::unique_ptr<DocumentBuilder>> analysis_;  // one per analysis thread
    std::unique_ptr<IndexWriters> writer_;
    std::vector<std::unique_ptr<LineReader>> readers_;
    std::unique_ptr<RecordSource> source_;
    std::unordered_map<std::string, Occurrence> seen_;
    std::vector<PendingKeep> pending_keeps_;
    Counts counts_;
};

// Opens every input first, so that a missing file fails the run before DIR is touched.
Status IndexRun::Prepare() {
    uint64_t total = 0;
    bool sizes_known = true;
    for (const auto& path : options_.files) {
        TRY_ASSIGN(auto reader, LineReader::Open(path));
        if (reader->size()) {
            total += *reader->size();
        } else {
            sizes_known = false;
        }
        readers_.push_back(std::move(reader));
    }
    if (sizes_known) report_.SetTotalBytes(total);
    TRY_ASSIGN(vocab_, Vocabulary::LoadEmbedded());
    TRY_ASSIGN(builder_, DocumentBuilder::Create(*vocab_));
    for (unsigned i = 0; i < options_.analysis_threads; ++i) {
        TRY_ASSIGN(auto builder, DocumentBuilder::Create(*vocab_));
        analysis_.push_back(std::move(builder));
    }
    TRY_ASSIGN(writer_, IndexWriters::Open({options_.db_dir, options_.shards, options_.update,
                                            options_.rebuild_only ? GenerationKind::kRebuildOnly
                                                                  : GenerationKind::kUpdatable}));
    return Status::Ok();
}

// Analysis runs on the source's threads while this one writes.
Status IndexRun::IndexFiles() {
    std::vector<DocumentBuilder*> builders;
    for (auto& builder : analysis_) builders.push_back(builder.get());
    source_ = std::make_unique<RecordSource>(std::move(readers_), *vocab_, std::move(builders));
    source_->Start();
    while (true) {
        TRY_ASSIGN(std::vector<SourceItem> batch, source_->NextBatch());
        if (batch.empty()) break;
        for (SourceItem& item : batch) TRY_STATUS(Handle(item));
        report_.Progress(counts_, batch.back().bytes_done);
        source_->Recycle(std::move(batch));
    }
    return WriteKept();
}

Status IndexRun::Handle(SourceItem& item) {
    ++counts_.read;
    std::optional<FieldError> duplicate = CheckDuplicate(item);
    if (duplicate) item.parsed.errors.push_back(*duplicate);
    if (!item.parsed.ok()) {
        // A duplicate's first occurrence has already decided what the index holds.
        return Reject(item, item.parsed.errors, !duplicate);
    }
    Status st = writer_->Put(*item.built);
    if (st.code() == Status::Code::kInvalidArgument) {
        // Xapian refused this document (e.g. a term too long); the run goes on without it.
        return Reject(item, {{"(record)", st.message()}}, true);
    }
    TRY_STATUS(st);
    ++counts_.indexed;
    return Status::Ok();
}

std::optional<FieldError> IndexRun::CheckDuplicate(const SourceItem& item) {
    const std::string& id = item.parsed.record.id;
    if (id.empty()) return std::nullopt;
    auto [it, inserted] = seen_.try_emplace(id, Occurrence{item.file, item.line});
    if (inserted) return std::nullopt;
    const Occurrence& first = it->second;
    std::string where = first.file == item.file
                            ? "line " + std::to_string(first.line)
                            : source_->file_name(first.file) + ":" + std::to_string(first.line);
    return FieldError{"id", "duplicate id '" + id + "': it first appears on " + where +
                                "; this line is rejected"};
}

// Reports a rejected record. When its id is in the current generation, its previous
// version stays: in place it is simply left alone, in a new generation it is written at
// the end of the input (WriteKept).
Status IndexRun::Reject(const SourceItem& item, const std::vector<FieldError>& errors,
                        bool keep_previous) {
    const std::string& id = item.parsed.record.id;
    const std::string& file = source_->file_name(item.file);
    for (const auto& error : errors) report_.RecordError(file, item.line, id, error);
    ++counts_.rejected;
    if (!keep_previous || id.empty()) return Status::Ok();
    TRY_ASSIGN(std::optional<StoredDocument> previous,
               writer_->FindPrevious(index_format::kIdPrefix + id));
    if (!previous) return Status::Ok();
    if (!writer_->in_place()) pending_keeps_.push_back({id, std::move(*previous)});
    ++counts_.kept;
    report_.Kept(file, item.line, id, writer_->replaced().value_or(writer_->generation()));
    return Status::Ok();
}

// Writes the kept previous versions: rebuilt from the stored record when it still parses
// (so it is indexed like everything else in this generation, spelling included), else
// copied as it is.
Status IndexRun::WriteKept() {
    for (PendingKeep& keep : pending_keeps_) {
        ParsedRecord stored = ParseRecord(keep.previous.data);
        if (stored.ok() && stored.record.id == keep.id) {
            TRY_STATUS(writer_->Put(builder_->Build(stored.record)));
        } else {
            TRY_STATUS(writer_->Put(keep.previous.document, index_format::kIdPrefix + keep.id, {}));
        }
    }
    pending_keeps_.clear();
    return Status::Ok();
}

Status IndexRun::ApplyDeletes() {
    for (const auto& id : options_.delete_ids) {
        TRY_ASSIGN(bool existed, writer_->Delete(index_format::kIdPrefix + id));
        if (existed) {
            ++counts_.deleted;
        } else {
            report_.Note("--delete " + id + ": no record with this id in the index");
        }
    }
    return Status::Ok();
}

Result<int> IndexRun::Finish() {
    std::optional<uint64_t> replaced = writer_->replaced();
    if (options_.strict && counts_.rejected > 0) {
        writer_->Abandon();
        report_.Note("--strict: " + WithThousands(counts_.rejected) +
                     " record(s) rejected; the index is unchanged" +
                     (replaced
                          ? " (CURRENT still names " + IndexStore::GenerationName(*replaced) + ")"
                          : ""));
        return int{kExitRejected};
    }
    TRY_ASSIGN(uint64_t documents, writer_->DocumentCount());
    if (!writer_->in_place() && documents == 0 && writer_->PreviousDocumentCount() > 0) {
        writer_->Abandon();
        return Status::InvalidArgument("no records indexed: refusing to replace generation " +
                                       std::to_string(*replaced) + " (" +
                                       WithThousands(writer_->PreviousDocumentCount()) +
                                       " documents) with an empty index; the index is unchanged");
    }
    std::string warning;
    TRY_STATUS(writer_->Commit(warning));
    if (!warning.empty()) report_.Note("warning: old generations not removed: " + warning);
    report_.Summary(
        counts_, Outcome{options_.db_dir, writer_->generation(), writer_->in_place(), documents});
    return counts_.rejected > 0 ? int{kExitRejected} : int{kExitOk};
}

Result<int> Run(IndexRun& run) {
    TRY_STATUS(run.Prepare());
    TRY_STATUS(run.IndexFiles());
    TRY_STATUS(run.ApplyDeletes());
    return run.Finish();
}

}  // namespace

int RunIndexer(const IndexOptions& options, std::ostream& err) {
    Report report(err, ReportOptions{options.quiet, options.progress});
    Result<int> exit_code = Status::Internal("not run");
    try {
        IndexRun run(options, report);
        exit_code = Run(run);
    } catch (const std::exception& e) {
        exit_code = Status::Internal(std::string("unexpected error: ") + e.what());
    } catch (const Xapian::Error& e) {
        exit_code = Status::Internal("unexpected Xapian error: " + e.get_description());
    }
    if (exit_code.ok()) return *exit_code;
    report.Failure(exit_code.status());
    return kExitFailure;
}

}  // namespace tnohaku::indexer
