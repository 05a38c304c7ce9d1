// The indexing run of tnohaku-index: JSONL lines → ParseAndValidate → DocumentBuilder →
// GenerationWriter (core/generation_writer.h) → commit and switch.
//
// A rebuild writes a new generation beside the served one and switches CURRENT at the
// very end; --update/--delete change the current generation in one transaction. A
// rejected record is reported and skipped; when its id is in the current generation its
// previous version is carried into the new one, so nothing disappears because one field
// went bad. Any failure (unreadable input, unwritable DIR, disk full, lock held) leaves
// the served index exactly as it was.
//
// Threads: one reads the input, IndexOptions::analysis_threads parse, validate and
// analyse the records (indexer/record_source.h) while the calling thread writes them in
// input order, so the Finnish analysis runs on several cores and overlaps Xapian's
// writing; the index is the same for any number of analysis threads. Runs on different DIRs may go
// in parallel; runs on one DIR exclude each other through DIR/.lock.
#pragma once

#include <ostream>

#include "indexer/options.h"

namespace tnohaku::indexer {

// Runs one indexing run; writes every diagnostic to `err`. Returns the ExitCode.
int RunIndexer(const IndexOptions& options, std::ostream& err);

}  // namespace tnohaku::indexer
