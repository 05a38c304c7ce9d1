// The indexing run (indexer/indexing.h), in-process: rebuilds, rejected records, keeping
// previous versions, --strict, --update/--delete, the lock, and the command line.
#include <filesystem>

#include <doctest/doctest.h>

#include "core/index_format.h"
#include "core/index_store.h"
#include "indexer/indexer_test_support.h"
#include "indexer/line_reader.h"
#include "indexer/record_source.h"

namespace tnohaku {
namespace {

namespace fs = std::filesystem;
using namespace testing;
using namespace indexer;

const std::string kTiny = SourcePath("tests/fixtures/tiny.jsonl");
const std::string kBad = SourcePath("tests/fixtures/bad_records.jsonl");

std::string Record(const std::string& id, const std::string& name_fi,
                   const std::string& extra = "") {
    return R"({"id":")" + id + R"(","type":"service","name":{"fi":")" + name_fi +
           R"("},"area":{"national":true})" + extra + "}";
}

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST_CASE("tiny.jsonl indexes completely into generation 1") {
    TempDir tmp;
    RunOutput run = RunIndex({"--db", tmp / "db", kTiny});
    CHECK(run.exit_code == kExitOk);
    CHECK(Contains(run.err, "13 records read, 13 indexed, 0 rejected"));
    CHECK(ReadFile(tmp / "db/CURRENT") == "auto gen-000001\n");
    Xapian::Database db(tmp / "db/CURRENT");
    CHECK(db.get_doccount() == 13);
    CHECK(db.get_metadata(index_format::kMetaGeneration) == "1");
    CHECK(db.get_metadata(index_format::kMetaFormat) == index_format::kFormatVersion);
    CHECK(db.term_exists("XAM244"));
    CHECK(db.term_exists("XAR17"));
    CHECK(db.term_exists("XTGstudents"));
    CHECK(db.term_exists("XTYprogramme"));
    // Spelling words went into the spelling table.
    CHECK(db.spellings_begin() != db.spellings_end());
}

TEST_CASE("--quiet prints nothing when all goes well") {
    TempDir tmp;
    RunOutput run = RunIndex({"--quiet", "--db", tmp / "db", kTiny});
    CHECK(run.exit_code == kExitOk);
    CHECK(run.err.empty());
}

TEST_CASE("a rebuild switches to a new generation and keeps the one before") {
    TempDir tmp;
    for (int i = 0; i < 3; ++i)
        REQUIRE(RunIndex({"-q", "--db", tmp / "db", kTiny}).exit_code == kExitOk);
    CHECK(ReadFile(tmp / "db/CURRENT") == "auto gen-000003\n");
    CHECK(!fs::exists(tmp / "db/gen-000001"));
    CHECK(fs::exists(tmp / "db/gen-000002"));
    CHECK(Documents(tmp / "db/CURRENT") == Documents(tmp / "db/gen-000002"));
}

struct ExpectedError {
    int line;
    const char* field;
    const char* reason_part;
};

// bad_records.jsonl, line by line: every broken record and what must be said about it.
const ExpectedError kExpected[] = {
    {2, "(record)", "invalid JSON"},
    {5, "(record)", "invalid UTF-8"},
    {6, "name", "must be of type object"},
    {7, "(record)", "missing the required field(s): id"},
    {8, "(record)", "missing the required field(s): name"},
    {9, "id", "first appears on line 1"},
    {10, "themes[0]", "unknown code 'astrology'"},
    {12, "period.start", "required form"},
    {13, "period.end", "is not a date"},
    {14, "period.end", "before the start"},
    {16, "locations[0]", "outside Finland"},
    {17, "name.fi", "too long (limit 300"},
    {18, "(record)", "unknown field 'colour'"},
    {19, "area.municipalities[0]", "unknown code '999'"},
    {20, "(record)", "must be a JSON object"},
    {21, "channels", "must be of type array"},
    {22, "locations[0]", "only one of lat and lon"},
    {23, "area", "must declare"},
    {24, "id", "required form"},
    {25, "type", "must be one of"},
    {27, "translated", "no text in that language"},
    {28, "contact.email", "not an e-mail address"},
    {29, "target_groups[0]", "unknown code 'martians'"},
    {29, "service_languages[0]", "unknown code 'klingon'"},
};

TEST_CASE("bad records: one message per problem, the rest indexed, previous versions kept") {
    TempDir tmp;
    const std::string db = tmp / "db";
    // The first run: versions that the broken lines of the second run must not lose.
    WriteFile(tmp / "first.jsonl", Record("kept-record", "Ensimmäinen versio") + "\n" +
                                       Record("kept-json", "Ehjä JSON") + "\n" +
                                       Record("kept-long", "Lyhyt rivi") + "\n" +
                                       Record("updated-record", "Ensimmäinen versio") + "\n" +
                                       Record("dropped-record", "Ei enää mukana") + "\n");
    REQUIRE(RunIndex({"-q", "--db", db, tmp / "first.jsonl"}).exit_code == kExitOk);
    // A line over 1 MiB, rejected without parsing; its id is still recognised.
    WriteFile(tmp / "long.jsonl",
              Record("kept-long", "Pitkä",
                     R"(,"description":{"fi":")" + std::string(1100000, 'a') + R"("})") +
                  "\n");

    RunOutput run = RunIndex({"--db", db, kBad, tmp / "long.jsonl"});
    CHECK(run.exit_code == kExitRejected);
    INFO(run.err);

    SUBCASE("each broken line is named with its line, id and field") {
        for (const auto& e : kExpected) {
            auto lines = LinesStartingWith(run.err, kBad + ":" + std::to_string(e.line) + ": ");
            bool found = false;
            for (const auto& l : lines) {
                found |= Contains(l, std::string("field '") + e.field + "': ") &&
                         Contains(l, e.reason_part);
            }
            CHECK_MESSAGE(found, "line " << e.line << " field " << e.field);
        }
        auto errors = LinesStartingWith(run.err, kBad + ":");
        size_t kept_lines = 2;  // kept-json (line 2) and kept-record (line 10)
        CHECK(errors.size() == std::size(kExpected) + kept_lines);
        CHECK(LinesStartingWith(run.err, kBad + ":3:").empty());   // blank line
        CHECK(LinesStartingWith(run.err, kBad + ":11:").empty());  // whitespace only
        auto long_lines = LinesStartingWith(run.err, tmp / "long.jsonl:1: id=kept-long: ");
        REQUIRE(long_lines.size() == 2);
        CHECK(Contains(long_lines[0], "over the limit of 1 MiB"));
        CHECK(Contains(long_lines[1], "kept the previous version of id=kept-long"));
        CHECK(Contains(
            run.err,
            "29 records read, 5 indexed, 24 rejected, 3 kept from the previous generation"));
    }

    SUBCASE("good records are indexed, rejected ones keep their previous version") {
        auto docs = Documents(db + "/CURRENT");
        std::vector<std::string> ids;
        for (const auto& [id, data] : docs) ids.push_back(id);
        CHECK(ids == std::vector<std::string>{"good-crlf", "good-network-region",
                                              "good-project-national", "good-service-oulu",
                                              "kept-json", "kept-long", "kept-record",
                                              "updated-record"});
        CHECK(Contains(docs["kept-record"], "Ensimmäinen versio"));
        CHECK(Contains(docs["updated-record"], "Päivitetty versio"));
        CHECK(Contains(docs["good-service-oulu"],
                       "Oulun ohjauspiste"));  // the first of the duplicates
        CHECK(Contains(run.err,
                       kBad + ":10: id=kept-record: kept the previous version of id=kept-record"));
        // The kept version is indexed like the rest: its facet terms are there.
        Xapian::Database xdb(db + "/CURRENT");
        Xapian::Enquire enquire(xdb);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("Qkept-record"),
                                        Xapian::Query("XTYservice")));
        CHECK(enquire.get_mset(0, 10).size() == 1);
    }
}

TEST_CASE("--strict refuses to switch when a record is rejected") {
    TempDir tmp;
    const std::string db = tmp / "db";
    REQUIRE(RunIndex({"-q", "--db", db, kTiny}).exit_code == kExitOk);
    auto before = Documents(db + "/CURRENT");
    RunOutput run = RunIndex({"--strict", "--db", db, kTiny, kBad});
    CHECK(run.exit_code == kExitRejected);
    CHECK(Contains(run.err, "--strict"));
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    CHECK(!fs::exists(db + "/gen-000002"));
    CHECK(!fs::exists(db + "/gen-000002.tmp"));
    CHECK(Documents(db + "/CURRENT") == before);

    SUBCASE("also in place") {
        WriteFile(tmp / "update.jsonl",
                  Record("ohjaamo-oulu", "Uusi nimi") + "\n" + Record("Bad ID", "x") + "\n");
        RunOutput update = RunIndex({"--strict", "--db", db, "--update", tmp / "update.jsonl"});
        CHECK(update.exit_code == kExitRejected);
        CHECK(Documents(db + "/CURRENT") == before);
    }
}

TEST_CASE("--update replaces and adds, --delete removes, in one commit") {
    TempDir tmp;
    const std::string db = tmp / "db";
    REQUIRE(RunIndex({"-q", "--db", db, kTiny}).exit_code == kExitOk);
    Xapian::rev revision = Xapian::Database(db + "/CURRENT").get_revision();
    WriteFile(tmp / "update.jsonl", Record("ohjaamo-oulu", "Ohjaamo Oulu, uusi osoite") + "\n" +
                                        Record("uusi-palvelu", "Uusi palvelu") + "\n");
    RunOutput run = RunIndex({"--db", db, "--update", tmp / "update.jsonl", "--delete",
                              "kohtaamo-ohjelma", "no-such-record"});
    CHECK(run.exit_code == kExitOk);
    INFO(run.err);
    CHECK(Contains(
        run.err,
        "2 records read, 2 indexed, 0 rejected, 0 kept from the previous generation, 1 deleted"));
    CHECK(Contains(run.err, "--delete no-such-record: no record with this id"));
    CHECK(Contains(run.err, "updated generation 1 in place"));
    auto docs = Documents(db + "/CURRENT");
    CHECK(docs.size() == 13);
    CHECK(Contains(docs["ohjaamo-oulu"], "uusi osoite"));
    CHECK(docs.count("uusi-palvelu") == 1);
    CHECK(docs.count("kohtaamo-ohjelma") == 0);
    Xapian::Database xdb(db + "/CURRENT");
    CHECK(xdb.get_revision() == revision + 1);
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    CHECK(xdb.get_metadata(index_format::kMetaGeneration) == "1");

    SUBCASE("a rejected update keeps the indexed version") {
        WriteFile(tmp / "bad-update.jsonl",
                  Record("ohjaamo-oulu", "Rikki", R"(,"themes":["nope"])") + "\n");
        RunOutput bad = RunIndex({"--db", db, "--update", tmp / "bad-update.jsonl"});
        CHECK(bad.exit_code == kExitRejected);
        CHECK(Contains(bad.err, "kept the previous version of id=ohjaamo-oulu"));
        CHECK(Contains(Documents(db + "/CURRENT")["ohjaamo-oulu"], "uusi osoite"));
    }
}

TEST_CASE("--rebuild-only: no termlist, updates refused, rebuilds keep previous versions") {
    TempDir tmp;
    const std::string db = tmp / "db";
    REQUIRE(RunIndex({"-q", "--rebuild-only", "--db", db, kTiny}).exit_code == kExitOk);
    CHECK(IndexStore(db).IsRebuildOnly(1));
    CHECK(!fs::exists(db + "/gen-000001/termlist.glass"));
    const auto before = Documents(db + "/CURRENT");
    REQUIRE(before.size() == 13);
    Xapian::rev revision = Xapian::Database(db + "/CURRENT").get_revision();

    WriteFile(tmp / "update.jsonl", Record("uusi-palvelu", "Uusi palvelu") + "\n");
    for (const std::vector<std::string>& change :
         {std::vector<std::string>{"--update", tmp / "update.jsonl"},
          std::vector<std::string>{"--delete", "kohtaamo-ohjelma"}}) {
        std::vector<std::string> args{"--db", db};
        args.insert(args.end(), change.begin(), change.end());
        RunOutput run = RunIndex(args);
        CHECK(run.exit_code == kExitFailure);
        CHECK(Contains(run.err, db + "/gen-000001 was built with --rebuild-only"));
        CHECK(Contains(run.err, "rebuild the index instead"));
        CHECK(Documents(db + "/CURRENT") == before);
        CHECK(Xapian::Database(db + "/CURRENT").get_revision() == revision);
    }

    // A rebuild with a broken line keeps that record's version from the rebuild-only
    // generation (rebuilt from its stored record; its terms cannot be read back).
    const std::string tiny = ReadFile(kTiny);
    const std::string first_id = before.begin()->first;
    std::string without_first;
    for (const auto& line : LinesStartingWith(tiny, "{")) {
        if (!Contains(line, "\"id\":\"" + first_id + "\"")) without_first += line + "\n";
    }
    REQUIRE(without_first.size() < tiny.size());
    WriteFile(tmp / "broken.jsonl",
              without_first + Record(first_id, "Rikki", R"(,"themes":["nope"])") + "\n");
    RunOutput rebuild = RunIndex({"--rebuild-only", "--db", db, tmp / "broken.jsonl"});
    INFO(rebuild.err);
    CHECK(rebuild.exit_code == kExitRejected);
    CHECK(Contains(rebuild.err, "kept the previous version of id=" + first_id));
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000002\n");
    CHECK(Documents(db + "/CURRENT") == before);

    // Shards are searched through Xapian's remote protocol, which needs the termlist.
    RunOutput sharded = RunIndex({"--rebuild-only", "--shards", "2", "--db", tmp / "set", kTiny});
    CHECK(sharded.exit_code == kExitFailure);
    CHECK(Contains(sharded.err, "is a shard set, and shards are searched through"));
    CHECK(!fs::exists(tmp / "set/SHARDS"));

    // Without the flag the next rebuild can be updated again.
    REQUIRE(RunIndex({"-q", "--db", db, kTiny}).exit_code == kExitOk);
    CHECK(!IndexStore(db).IsRebuildOnly(3));
    RunOutput update = RunIndex({"-q", "--db", db, "--update", tmp / "update.jsonl"});
    CHECK(update.exit_code == kExitOk);
    CHECK(Documents(db + "/CURRENT").count("uusi-palvelu") == 1);
}

TEST_CASE("--update with no index creates the first generation") {
    TempDir tmp;
    RunOutput run = RunIndex({"-q", "--db", tmp / "db", "--update", kTiny});
    CHECK(run.exit_code == kExitOk);
    CHECK(ReadFile(tmp / "db/CURRENT") == "auto gen-000001\n");
    CHECK(Documents(tmp / "db/CURRENT").size() == 13);
}

TEST_CASE("failures change nothing and exit 1") {
    TempDir tmp;
    const std::string db = tmp / "db";
    REQUIRE(RunIndex({"-q", "--db", db, kTiny}).exit_code == kExitOk);

    SUBCASE("an unreadable input") {
        RunOutput run = RunIndex({"--db", db, kTiny, tmp / "missing.jsonl"});
        CHECK(run.exit_code == kExitFailure);
        CHECK(Contains(run.err, "error: cannot open " + (tmp / "missing.jsonl")));
    }
    SUBCASE("the lock is held") {
        auto lock = IndexLock::Acquire(db);
        REQUIRE(lock.ok());
        RunOutput run = RunIndex({"--db", db, kTiny});
        CHECK(run.exit_code == kExitFailure);
        CHECK(Contains(run.err, "another tnohaku-index is writing"));
    }
    SUBCASE("an empty input would empty the index") {
        WriteFile(tmp / "empty.jsonl", "\n");
        RunOutput run = RunIndex({"--db", db, tmp / "empty.jsonl"});
        CHECK(run.exit_code == kExitFailure);
        CHECK(Contains(run.err, "refusing to replace generation 1"));
    }
    SUBCASE("DIR cannot be created") {
        WriteFile(tmp / "a-file", "x");
        RunOutput run = RunIndex({"--db", tmp / "a-file/db", kTiny});
        CHECK(run.exit_code == kExitFailure);
        CHECK(Contains(run.err, "error: cannot create"));
    }
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    CHECK(Documents(db + "/CURRENT").size() == 13);
    CHECK(!fs::exists(db + "/gen-000002.tmp"));
}

TEST_CASE("the command line") {
    auto parse = [](std::vector<std::string> args) { return ParseCommandLine(args); };
    auto rebuild = parse({"--db", "d", "a.jsonl", "b.jsonl"});
    REQUIRE(rebuild.ok());
    CHECK(rebuild->options.db_dir == "d");
    CHECK(rebuild->options.files == std::vector<std::string>{"a.jsonl", "b.jsonl"});
    CHECK(!rebuild->options.update);

    auto update =
        parse({"--db=d", "--update", "a.jsonl", "--delete", "x", "y", "--strict", "--quiet"});
    REQUIRE(update.ok());
    CHECK(update->options.update);
    CHECK(update->options.files == std::vector<std::string>{"a.jsonl"});
    CHECK(update->options.delete_ids == std::vector<std::string>{"x", "y"});
    CHECK(update->options.strict);
    CHECK(update->options.quiet);

    CHECK(rebuild->options.analysis_threads == DefaultAnalysisThreads());
    CHECK(DefaultAnalysisThreads() >= 1);
    CHECK(parse({"--db", "d", "--threads", "3", "a"})->options.analysis_threads == 3);
    CHECK(parse({"--db", "d", "--threads=1", "a"})->options.analysis_threads == 1);
    for (const char* bad : {"--threads=0", "--threads=17", "--threads=2x", "--threads="}) {
        CHECK(Contains(parse({"--db", "d", bad, "a"}).status().message(),
                       "is not a number from 1 to 16"));
    }
    CHECK(!parse({"--db", "d", "a", "--threads"}).ok());

    CHECK(parse({"--help"})->help);
    CHECK(Contains(parse({"--db", "d", "--frobnicate", "a"}).status().message(),
                   "unknown option '--frobnicate'"));
    CHECK(Contains(parse({"a.jsonl"}).status().message(), "missing --db"));
    CHECK(Contains(parse({"--db", "d"}).status().message(), "no input files"));
    CHECK(Contains(parse({"--db", "d", "--delete", "a.jsonl"}).status().message(),
                   "not a record id"));
    CHECK(parse({"--db", "d", "--rebuild-only", "a"})->options.rebuild_only);
    CHECK(!rebuild->options.rebuild_only);
    for (const char* change : {"--update", "--delete"}) {
        CHECK(Contains(parse({"--db", "d", "--rebuild-only", change, "x"}).status().message(),
                       "--rebuild-only builds a new generation"));
    }
    CHECK(Contains(
        parse({"--db", "d", "--rebuild-only", "--changesets", "5", "a"}).status().message(),
        "xapian-replicate cannot copy an index without its termlist table"));
    CHECK(parse({"--db", "d", "--rebuild-only", "--changesets", "0", "a"}).ok());
    CHECK(Contains(HelpText(), "Exit status"));
}

TEST_CASE("LineReader: line ends, a byte order mark, a missing last newline, over-long lines") {
    TempDir tmp;
    std::string long_line =
        "{\"id\":\"x\"" + std::string(LineReader::kMaxLineBytes + 10, ' ') + "}";
    WriteFile(tmp / "in.jsonl",
              "\xEF\xBB\xBF"
              "first\r\n\nthird\n" +
                  long_line + "\nlast");
    auto reader = LineReader::Open(tmp / "in.jsonl");
    REQUIRE(reader.ok());
    std::vector<Line> lines;
    Line line;
    while (*(*reader)->Next(line)) lines.push_back(line);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].text == "first");
    CHECK(lines[1].text.empty());
    CHECK(lines[2].text == "third");
    CHECK(lines[2].number == 3);
    CHECK(lines[3].too_long);
    CHECK(lines[3].length == long_line.size());
    CHECK(lines[3].text.size() == LineReader::kKeptPrefix);
    CHECK(lines[4].text == "last");
    CHECK((*reader)->bytes_read() == *(*reader)->size());
    CHECK(LineReader::Open(tmp / "nope.jsonl").status().code() == Status::Code::kNotFound);
    CHECK(!LineReader::Open(tmp.path().string()).ok());
}

TEST_CASE("the id of an unparsable line is taken only from a leading \"id\" member") {
    CHECK(GuessId(R"({"id":"kept-json","type":"service","name":{"fi":"Rikki")") == "kept-json");
    CHECK(GuessId(R"( { "id" : "a-1" ,)") == "a-1");
    CHECK(GuessId(R"({"type":"service","organisations":[{"id":"org"}])").empty());
    CHECK(GuessId(R"({"id":"Not Valid"})").empty());
    CHECK(GuessId(R"({"id":"unterminated)").empty());
    CHECK(GuessId("").empty());
}

}  // namespace
}  // namespace tnohaku
