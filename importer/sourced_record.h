// SourcedRecord: one record as a reader made it from one input item, with where that item
// is, so that later steps (merge, validation) can name it in messages.
//
// Thread safety: plain values.
#pragma once

#include <string>

#include "core/record.h"

namespace tnohaku::importer {

struct SourcedRecord {
    Record record;
    std::string origin;  // a file, with ":line" for JSONL; several joined by ", " after a merge
    std::string ptv_id;  // the PTV uuid, lower case
};

}  // namespace tnohaku::importer
