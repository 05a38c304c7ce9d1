#include "indexer/options.h"

#include <algorithm>
#include <charconv>
#include <thread>

#include "core/shard_set.h"

namespace tnohaku::indexer {
namespace {

bool IsFlag(const std::string& arg) {
    return arg.size() > 1 && arg[0] == '-';
}

bool LooksLikeId(const std::string& id) {
    return !id.empty() && id.size() <= 100 && id[0] != '-' &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

Status CheckComplete(const IndexOptions& o) {
    if (o.db_dir.empty()) return Status::InvalidArgument("missing --db DIR (the index folder)");
    if (!o.update && o.files.empty())
        return Status::InvalidArgument("no input files (give FILE.jsonl...)");
    if (o.update && o.files.empty() && o.delete_ids.empty()) {
        return Status::InvalidArgument("--update needs FILE.jsonl... or --delete ID...");
    }
    if (o.rebuild_only && o.update) {
        return Status::InvalidArgument(
            "--rebuild-only builds a new generation; --update and --delete change the current "
            "one in place: give one or the other");
    }
    if (o.rebuild_only && o.changesets > 0) {
        return Status::InvalidArgument(
            "--rebuild-only with --changesets: xapian-replicate cannot copy an index without "
            "its termlist table; copy the generation folder instead, or leave out "
            "--rebuild-only");
    }
    for (const auto& id : o.delete_ids) {
        if (!LooksLikeId(id)) {
            return Status::InvalidArgument("--delete: '" + id +
                                           "' is not a record id (a-z, 0-9 and '-')");
        }
    }
    return Status::Ok();
}

// A whole number from `min` to `max` for `flag`.
Result<unsigned> ParseNumber(const std::string& flag, const std::string& text, unsigned min,
                             unsigned max) {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < min ||
        n > max) {
        return Status::InvalidArgument(flag + ": '" + text + "' is not a number from " +
                                       std::to_string(min) + " to " + std::to_string(max));
    }
    return n;
}

// The value of `--flag V` or `--flag=V` at args[i] (advancing i past V).
std::string FlagValue(const std::string& flag, const std::vector<std::string>& args, size_t& i) {
    const std::string& arg = args[i];
    if (arg != flag) return arg.substr(flag.size() + 1);
    return i + 1 < args.size() ? args[++i] : std::string();
}

bool IsValueFlag(const std::string& arg, const std::string& flag) {
    return arg == flag || arg.rfind(flag + "=", 0) == 0;
}

}  // namespace

unsigned DefaultAnalysisThreads() {
    return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxAnalysisThreads);
}

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
    CommandLine cmd;
    IndexOptions& o = cmd.options;
    bool in_delete_list = false;  // after --delete, plain arguments are ids
    bool only_files = false;      // after --, every argument is a file
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (only_files || !IsFlag(arg)) {
            (in_delete_list && !only_files ? o.delete_ids : o.files).push_back(arg);
            continue;
        }
        in_delete_list = false;
        if (arg == "--") {
            only_files = true;
        } else if (arg == "--help" || arg == "-h") {
            cmd.help = true;
        } else if (arg == "--db") {
            if (i + 1 >= args.size())
                return Status::InvalidArgument("--db needs a folder: --db DIR");
            o.db_dir = args[++i];
        } else if (arg.rfind("--db=", 0) == 0) {
            o.db_dir = arg.substr(5);
        } else if (arg == "--update") {
            o.update = true;
        } else if (arg == "--delete") {
            o.update = true;
            in_delete_list = true;
        } else if (arg.rfind("--delete=", 0) == 0) {
            o.update = true;
            o.delete_ids.push_back(arg.substr(9));
        } else if (arg == "--strict") {
            o.strict = true;
        } else if (arg == "--rebuild-only") {
            o.rebuild_only = true;
        } else if (IsValueFlag(arg, "--threads")) {
            TRY_ASSIGN(o.analysis_threads, ParseNumber("--threads", FlagValue("--threads", args, i),
                                                       1, kMaxAnalysisThreads));
        } else if (IsValueFlag(arg, "--shards")) {
            TRY_ASSIGN(unsigned n,
                       ParseNumber("--shards", FlagValue("--shards", args, i), 1, kMaxShards));
            o.shards = n;
        } else if (IsValueFlag(arg, "--changesets")) {
            TRY_ASSIGN(o.changesets,
                       ParseNumber("--changesets", FlagValue("--changesets", args, i), 0, 100000));
        } else if (arg == "--quiet" || arg == "-q") {
            o.quiet = true;
        } else {
            return Status::InvalidArgument("unknown option '" + arg + "'");
        }
    }
    if (cmd.help) return cmd;
    TRY_STATUS(CheckComplete(o));
    return cmd;
}

std::string HelpText() {
    return R"(Usage:
  tnohaku-index --db DIR [--shards N] [--changesets N] [--strict] [--quiet] FILE.jsonl...
  tnohaku-index --db DIR --rebuild-only [--strict] [--quiet] FILE.jsonl...
  tnohaku-index --db DIR [--strict] [--quiet] --update FILE.jsonl... [--delete ID...]
  tnohaku-index --db DIR [--quiet] --delete ID...

Builds the search index of tnohaku from JSONL records (one record per line,
schema/record.schema.json).

Without --update, builds a new generation of the index in DIR (DIR/gen-N.tmp), then
switches DIR/CURRENT to it atomically. The index being served is never changed: if the
run fails or is killed, CURRENT still names the previous generation. The generation
that was current before is kept until the next rebuild (a server may still read it);
older ones are removed.

Options:
  --db DIR       the index folder (created when missing)
  --update       add or replace the records of FILE... by id in the current generation,
                 in one transaction (creates the first generation when there is none)
  --delete ID... remove these records in the same transaction (implies --update; ids
                 follow until the next option; a record both updated and deleted is
                 deleted)
  --strict       change nothing when any record is rejected (exit 2)
  --rebuild-only build the new generation without Xapian's termlist table: about 30 %
                 smaller and 20 % faster to build, it searches the same, but --update
                 and --delete cannot change it (they are refused; the next rebuild
                 replaces it). Xapian's remote protocol (shards, xapian-tcpsrv) and
                 xapian-replicate need the termlist too, so not with --update,
                 --delete, --changesets or a shard set: serve such an index from a
                 local folder (copied to other machines as files)
  --shards N     build DIR as a set of N shards (1-64): DIR/shard-0 ... DIR/shard-N-1
                 (each an index folder of its own), DIR/side (the spelling table, read
                 by the server locally) and DIR/SHARDS. A record goes to shard
                 FNV-1a-64(id) mod N; --update and --delete on a shard set go to the
                 record's shard without --shards. N must match an existing set.
  --changesets N keep the last N Xapian changesets of each database, for
                 xapian-replicate (sets XAPIAN_MAX_CHANGESETS; default 0: none)
  --threads N    threads that parse and analyse records, 1-16 (default: one per core);
                 the index is the same for every N
  --quiet, -q    no progress line and no summary (rejected records are still reported)
  --help, -h     this text
  FILE "-" reads standard input.

Rejected records (each problem on its own line of stderr, as
"file:line: id=ID: field 'F': reason"): invalid JSON or UTF-8, wrong types, unknown
fields, missing id or name, a duplicate id (the later line is rejected), unknown codes,
malformed or impossible dates, a period ending before it starts, coordinates outside
Finland, fields over the limits of schema/record.schema.json (e.g. name 300
characters, summary 2,000, description 20,000) and lines over 1 MiB (not parsed).
Blank lines are skipped. The other records are indexed. A rejected record whose id is
in the current index keeps its previous version ("kept the previous version").
A rebuild that would replace a non-empty index with an empty one is refused.

Exit status:
  0  every record was indexed
  1  failure, nothing changed: bad usage, unreadable input, unwritable DIR, disk full,
     another tnohaku-index holds DIR/.lock
  2  some records were rejected (the rest were indexed unless --strict)
)";
}

}  // namespace tnohaku::indexer
