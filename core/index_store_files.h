// The file steps and error mapping that core/index_store.cpp (which defines them) and
// core/generation_writer.cpp share; internal to those two.
#pragma once

#include <cstdint>
#include <string>

#include <xapian.h>

#include "core/index_store.h"
#include "core/status.h"

namespace tnohaku::index_store_files {

// A generation being built: gen-000008.tmp.
inline constexpr const char* kTmpSuffix = ".tmp";

// Xapian's errors as a Status: what we were doing, and Xapian's own words.
Status FromXapian(const std::string& what, const Xapian::Error& e);
// errno as a kIoError Status: what we were doing, and the system's words.
Status FromErrno(const std::string& what);
// fsyncs a directory, so that the entries created or renamed in it survive a crash.
Status SyncDirectory(const std::string& dir);
// Points DIR/CURRENT at a generation: CURRENT.tmp, fsync, rename over CURRENT, fsync DIR.
Status WriteCurrent(const IndexStore& store, uint64_t generation);

}  // namespace tnohaku::index_store_files
