#include "core/database_set.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/index_format.h"
#include "core/shard_set.h"

namespace tnohaku {

namespace fmt = index_format;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTcpScheme = "tcp://";
constexpr const char* kProgServer = "xapian-progsrv";  // Debian's xapian-tools, on PATH

std::vector<std::string> SplitList(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

Result<DatabasePart> ParseRemote(const std::string& entry) {
    const std::string address = entry.substr(kTcpScheme.size());
    const size_t colon = address.rfind(':');
    unsigned port = 0;
    const char* begin = address.data() + (colon == std::string::npos ? 0 : colon + 1);
    const char* end = address.data() + address.size();
    auto [stop, ec] = std::from_chars(begin, end, port);
    if (colon == std::string::npos || colon == 0 || ec != std::errc() || stop != end || port == 0 ||
        port > 65535) {
        return Status::InvalidArgument("--db: '" + entry +
                                       "' is not a remote shard address tcp://HOST:PORT");
    }
    DatabasePart part;
    part.kind = DatabasePart::Kind::kRemote;
    part.name = entry;
    part.host = address.substr(0, colon);
    part.port = port;
    return part;
}

DatabasePart LocalPart(const std::string& path, bool side) {
    DatabasePart part;
    std::error_code ec;
    // A Xapian database folder (a replica's XAPIANDB stub, or glass files) is opened as
    // it is; anything else as an index folder, which says what is missing.
    const fs::path dir(path);
    const bool xapian = !fs::exists(dir / "CURRENT", ec) &&
                        (fs::exists(dir / "XAPIANDB", ec) || fs::exists(dir / "iamglass", ec));
    part.kind = xapian ? DatabasePart::Kind::kDatabase : DatabasePart::Kind::kIndex;
    part.name = path;
    part.path = path;
    part.side = side;
    return part;
}

// The shards and side of a shard set folder, or the folder itself.
Result<std::vector<DatabasePart>> ExpandLocal(const std::string& path, bool& has_side) {
    TRY_ASSIGN(std::optional<uint32_t> shards, ReadShardCount(path));
    if (!shards) {
        return std::vector<DatabasePart>{LocalPart(path, false)};
    }
    const ShardSet set{path, *shards};
    std::vector<DatabasePart> out;
    for (uint32_t k = 0; k < *shards; ++k) out.push_back(LocalPart(set.ShardDir(k), false));
    out.push_back(LocalPart(set.SideDir(), true));
    has_side = true;
    return out;
}

Status CheckFormat(const Xapian::Database& db, const DatabasePart& part, PartInfo& info) {
    const std::string format = db.get_metadata(fmt::kMetaFormat);
    if (format != fmt::kFormatVersion) {
        return Status::Unavailable("index '" + part.name + "' has format version '" + format +
                                   "'; this build reads version " + fmt::kFormatVersion +
                                   " (rebuild it with this tnohaku-index)");
    }
    const std::string generation = db.get_metadata(fmt::kMetaGeneration);
    info.generation = 0;
    std::from_chars(generation.data(), generation.data() + generation.size(), info.generation);
    info.created = db.get_metadata(fmt::kMetaCreated);
    return Status::Ok();
}

std::string PartLabel(const DatabasePart& part) {
    if (part.kind == DatabasePart::Kind::kRemote) return "shard " + part.name;
    return part.side ? "side index '" + part.name + "'" : "index '" + part.name + "'";
}

// `piped`: a local part matched by a xapian-progsrv child over a pipe (see the header).
Result<Xapian::Database> OpenPart(const DatabasePart& part, const RemoteTimeouts& t, bool piped) {
    std::error_code ec;
    const std::string stub = (fs::path(part.path) / "CURRENT").string();
    if (part.kind == DatabasePart::Kind::kIndex) {
        if (!fs::is_directory(part.path, ec))
            return Status::Unavailable("index folder '" + part.path + "' does not exist");
        if (!fs::exists(stub, ec)) {
            return Status::Unavailable("'" + stub + "' is missing: no index has been built in '" +
                                       part.path + "' (run tnohaku-index)");
        }
    }
    const std::string local = part.kind == DatabasePart::Kind::kIndex ? stub : part.path;
    if (piped && part.kind != DatabasePart::Kind::kRemote) {
        // Xapian passes the program's arguments as one string split at spaces.
        if (local.find_first_of(" \t\n") != std::string::npos) {
            return Status::InvalidArgument("--db: '" + part.path +
                                           "': a local shard's path may not contain spaces");
        }
        try {
            return Xapian::Remote::open(kProgServer, local, t.timeout_ms);
        } catch (const Xapian::Error& e) {
            return FromXapianError(e, "cannot open " + PartLabel(part) + " with " + kProgServer);
        }
    }
    try {
        switch (part.kind) {
            case DatabasePart::Kind::kIndex:
                return Xapian::Database(stub);
            case DatabasePart::Kind::kDatabase:
                return Xapian::Database(part.path);
            case DatabasePart::Kind::kRemote:
                return Xapian::Remote::open(part.host, part.port, t.timeout_ms,
                                            t.connect_timeout_ms);
        }
    } catch (const Xapian::Error& e) {
        return FromXapianError(e, "cannot open " + PartLabel(part));
    }
    return Status::Internal("unknown database part kind");
}

}  // namespace

Status FromXapianError(const Xapian::Error& e, const std::string& context) {
    std::string msg = context + ": " + e.get_type() + ": " + e.get_msg();
    // Xapian::Error has no virtual functions: tell the kinds apart by their type names
    // (DatabaseModifiedError, DatabaseOpeningError, ..., NetworkError, ...).
    std::string_view type = e.get_type();
    if (type.starts_with("Database") || type.starts_with("Network")) {
        return Status::Unavailable(msg);
    }
    return Status::Internal(msg);
}

Result<std::vector<DatabasePart>> ParseDatabaseList(const std::string& list,
                                                    const std::string& side) {
    std::vector<DatabasePart> parts;
    bool has_side = false;
    for (const std::string& entry : SplitList(list)) {
        if (entry.starts_with(kTcpScheme)) {
            TRY_ASSIGN(DatabasePart part, ParseRemote(entry));
            parts.push_back(std::move(part));
            continue;
        }
        TRY_ASSIGN(std::vector<DatabasePart> local, ExpandLocal(entry, has_side));
        parts.insert(parts.end(), local.begin(), local.end());
    }
    if (parts.empty()) return Status::InvalidArgument("--db: no index folder or shard given");
    if (!side.empty()) {
        if (has_side) {
            return Status::InvalidArgument("--side " + side +
                                           ": the --db list already has its shard set's side "
                                           "index");
        }
        parts.push_back(LocalPart(side, true));
        has_side = true;
    }
    const bool needs_side = parts.size() > 1 || parts[0].kind == DatabasePart::Kind::kRemote;
    if (needs_side && !has_side) {
        return Status::InvalidArgument(
            "--db " + list +
            ": several parts or a remote shard need the side index for spelling and "
            "suggestions (give --side DIR/side of the shard set tnohaku-index --shards wrote)");
    }
    return parts;
}

Result<std::optional<DatabaseSet::Stub>> DatabaseSet::ReadStub(const DatabasePart& part) {
    if (part.kind == DatabasePart::Kind::kRemote) return std::optional<Stub>();
    const char* name = part.kind == DatabasePart::Kind::kIndex ? "CURRENT" : "XAPIANDB";
    Stub stub;
    stub.path = (fs::path(part.path) / name).string();
    std::error_code ec;
    stub.mtime = fs::last_write_time(stub.path, ec);
    if (ec) {
        if (part.kind == DatabasePart::Kind::kDatabase) return std::optional<Stub>();
        return Status::Unavailable(stub.path + ": " + ec.message());
    }
    std::ifstream in(stub.path, std::ios::binary);
    if (!in) return Status::Unavailable(stub.path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    stub.text = text.str();
    return std::optional<Stub>(std::move(stub));
}

Result<DatabaseSet> DatabaseSet::Open(const std::vector<DatabasePart>& parts,
                                      const RemoteTimeouts& timeouts) {
    DatabaseSet set;
    set.parts_ = parts;
    const auto local_shards = std::count_if(parts.begin(), parts.end(), [](const DatabasePart& p) {
        return !p.side && p.kind != DatabasePart::Kind::kRemote;
    });
    const bool piped = local_shards > 1;
    for (const DatabasePart& part : parts) {
        TRY_ASSIGN(std::optional<Stub> stub, ReadStub(part));
        const bool out = part.kind == DatabasePart::Kind::kRemote || (piped && !part.side);
        set.out_of_process_ = set.out_of_process_ || out;
        TRY_ASSIGN(Xapian::Database db, OpenPart(part, timeouts, piped && !part.side));
        set.stubs_.push_back(std::move(stub));
        set.part_dbs_.push_back(db);
        (part.side ? set.spelling_ : set.db_).add_database(db);
    }
    set.separate_spelling_ = set.spelling_.size() > 0;
    if (!set.separate_spelling_) set.spelling_ = set.db_;
    TRY_STATUS(set.RereadInfo());
    return set;
}

Status DatabaseSet::RereadInfo() {
    std::vector<PartInfo> infos(parts_.size());
    for (size_t i = 0; i < parts_.size(); ++i) {
        try {
            TRY_STATUS(CheckFormat(part_dbs_[i], parts_[i], infos[i]));
        } catch (const Xapian::Error& e) {
            return FromXapianError(e, "cannot read " + PartLabel(parts_[i]));
        }
    }
    info_ = std::move(infos);
    return Status::Ok();
}

bool DatabaseSet::single_local() const {
    return db_.size() == 1 && parts_[0].kind != DatabasePart::Kind::kRemote;
}

bool DatabaseSet::Reopen() {
    bool moved = db_.reopen();
    // Without a side index, spelling_ is db_ (the same internals): already reopened.
    if (separate_spelling_) moved = spelling_.reopen() || moved;
    return moved;
}

uint64_t DatabaseSet::generation() const {
    uint64_t sum = 0;
    for (const PartInfo& info : info_) sum += info.generation;
    return sum;
}

std::string DatabaseSet::created() const {
    std::string newest;
    for (const PartInfo& info : info_) newest = std::max(newest, info.created);
    return newest;
}

std::string DatabaseSet::revision() const {
    std::string out;
    for (const Xapian::Database& part : part_dbs_) {
        if (!out.empty()) out += ',';
        try {
            out += part.get_uuid() + ":" + std::to_string(part.get_revision());
        } catch (const Xapian::Error&) {
            out += '?';
        }
    }
    return out;
}

bool DatabaseSet::StubsChanged() const {
    for (size_t i = 0; i < parts_.size(); ++i) {
        auto now = ReadStub(parts_[i]);
        if (!now.ok()) return false;  // a stub being replaced: look again next time
        if (*now != stubs_[i]) return true;
    }
    return false;
}

}  // namespace tnohaku
