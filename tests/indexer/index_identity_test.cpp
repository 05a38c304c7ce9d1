// What tnohaku-index writes does not depend on how fast it writes it: the index of a run
// (any number of analysis threads, the writer's shortcuts) holds exactly the documents,
// docids, terms, wdfs, values, data and spelling words of a reference built the plain
// way: one record after another, DocumentBuilder → replace_document → add_spelling per
// word. A --rebuild-only index (no termlist table) holds the same, read through the
// postings.
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <xapian.h>

#include "core/document.h"
#include "core/validate.h"
#include "core/vocab.h"
#include "indexer/indexer_test_support.h"
#include "indexer/line_reader.h"

namespace tnohaku {
namespace {

using namespace testing;
using namespace indexer;

struct DocumentContents {
    Xapian::docid docid = 0;
    Xapian::termcount length = 0;
    std::string data;
    std::vector<std::pair<std::string, Xapian::termcount>> terms;  // with wdf
    std::vector<std::pair<Xapian::valueno, std::string>> values;
    bool operator==(const DocumentContents&) const = default;
};

// Everything a reader of the index can see, except the commit time in the metadata.
struct IndexContents {
    Xapian::doccount doc_count = 0;
    Xapian::docid last_docid = 0;
    std::vector<DocumentContents> documents;                          // by docid
    std::vector<std::pair<std::string, Xapian::doccount>> spellings;  // word, frequency
    std::vector<std::tuple<std::string, Xapian::doccount, Xapian::termcount>> all_terms;
    bool operator==(const IndexContents&) const = default;
};

// What does not need the termlist: the index-wide figures, spellings and terms.
IndexContents ReadIndexWide(const Xapian::Database& db) {
    IndexContents out;
    out.doc_count = db.get_doccount();
    out.last_docid = db.get_lastdocid();
    for (auto s = db.spellings_begin(); s != db.spellings_end(); ++s)
        out.spellings.emplace_back(*s, s.get_termfreq());
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t)
        out.all_terms.emplace_back(*t, t.get_termfreq(), db.get_collection_freq(*t));
    return out;
}

// A document's id, length and data, without its terms and values.
DocumentContents DocumentHead(const Xapian::Database& db, Xapian::docid docid) {
    DocumentContents d;
    d.docid = docid;
    d.length = db.get_doclength(docid);
    d.data = db.get_document(docid).get_data();
    return d;
}

IndexContents ReadContents(const std::string& path) {
    Xapian::Database db(path);
    IndexContents out = ReadIndexWide(db);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        DocumentContents d = DocumentHead(db, *it);
        Xapian::Document doc = db.get_document(*it);
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
            d.terms.emplace_back(*t, t.get_wdf());
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
            d.values.emplace_back(v.get_valueno(), *v);
        out.documents.push_back(std::move(d));
    }
    return out;
}

// The same as ReadContents without the termlist table, which a --rebuild-only index
// lacks: each document's terms from the postings of every term, its values from the
// value streams of every slot.
IndexContents ReadContentsByPostings(const std::string& path) {
    Xapian::Database db(path);
    IndexContents out = ReadIndexWide(db);
    std::map<Xapian::docid, DocumentContents> documents;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        documents[*it] = DocumentHead(db, *it);
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p)
            documents[*p].terms.emplace_back(*t, p.get_wdf());
    }
    for (Xapian::valueno slot = 0; slot < 256; ++slot) {
        for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v)
            documents[v.get_docid()].values.emplace_back(slot, *v);
    }
    for (auto& [docid, d] : documents) out.documents.push_back(std::move(d));
    return out;
}

// The plain sequential indexer: valid records in input order, the first of each id.
void BuildReference(const std::vector<std::string>& files, const std::string& path) {
    auto vocab = Vocabulary::LoadEmbedded();
    REQUIRE(vocab.ok());
    auto builder = DocumentBuilder::Create(**vocab);
    REQUIRE(builder.ok());
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    std::set<std::string> seen;
    for (const auto& file : files) {
        auto reader = LineReader::Open(file);
        REQUIRE(reader.ok());
        Line line;
        while (*(*reader)->Next(line)) {
            if (line.too_long) continue;
            ParsedRecord parsed = ParseAndValidate(line.text, **vocab);
            // A rejected line still claims its id: a later valid one is a duplicate.
            bool first = parsed.record.id.empty() || seen.insert(parsed.record.id).second;
            if (!parsed.ok() || !first) continue;
            BuiltDocument built = (*builder)->Build(parsed.record);
            db.replace_document(built.id_term, built.document);
            for (const auto& word : built.spelling_words) db.add_spelling(word);
        }
    }
    db.commit();
}

// The lines of the run's report that name an input line: the rejections, in order.
std::vector<std::string> RecordMessages(const std::string& err, const std::string& file) {
    return LinesStartingWith(err, file + ":");
}

TEST_CASE(
    "the shipped corpus indexes exactly as the plain sequential reference, "
    "--rebuild-only too") {
    TempDir tmp;
    const std::vector<std::string> files{SourcePath("corpus/seeds.jsonl"),
                                         SourcePath("corpus/ptv.jsonl")};
    BuildReference(files, tmp / "reference");
    IndexContents reference = ReadContents(tmp / "reference");
    REQUIRE(reference.doc_count > 1000);
    REQUIRE(!reference.spellings.empty());
    for (const char* threads : {"1", "3"}) {
        CAPTURE(threads);
        const std::string db = tmp / (std::string("db-") + threads);
        std::vector<std::string> args{"-q", "--threads", threads, "--db", db};
        args.insert(args.end(), files.begin(), files.end());
        REQUIRE(RunIndex(args).exit_code == kExitOk);
        CHECK(ReadContents(db + "/CURRENT") == reference);
    }

    // --rebuild-only: the same without a termlist, read through the postings (which, read
    // from the reference, see what its termlist shows).
    REQUIRE(ReadContentsByPostings(tmp / "reference") == reference);
    std::vector<std::string> args{"-q", "--rebuild-only", "--db", tmp / "db-rebuild-only"};
    args.insert(args.end(), files.begin(), files.end());
    REQUIRE(RunIndex(args).exit_code == kExitOk);
    CHECK(!std::filesystem::exists(tmp / "db-rebuild-only/gen-000001/termlist.glass"));
    CHECK(ReadContentsByPostings(tmp / "db-rebuild-only/CURRENT") == reference);
}

TEST_CASE("bad lines and duplicate ids: the same index and messages for any thread count") {
    TempDir tmp;
    // Valid records with broken lines and duplicates spread over many batches, more
    // than the writer puts into one commit of a new generation (2,000).
    std::string good = GenerateRecords(2300);
    const std::string duplicate =
        R"({"id":"gen-3","type":"service","name":{"fi":"Kopio"},"area":{"national":true}})";
    const std::string bad_theme_tail =
        R"(","type":"service","name":{"fi":"x"},"area":{"national":true},"themes":["astrology"]})";
    std::string input;
    size_t line = 0;
    for (size_t start = 0, end; (end = good.find('\n', start)) != std::string::npos;
         start = end + 1, ++line) {
        input.append(good, start, end - start + 1);
        const std::string number = std::to_string(line);
        if (line % 97 == 5) input.append(R"({"id":"broken-)").append(number).append("\",\n");
        if (line % 131 == 7) input.append(duplicate).append("\n");
        if (line % 173 == 9)
            input.append(R"({"id":"bad-theme-)").append(number).append(bad_theme_tail).append("\n");
    }
    const std::string file = tmp / "mixed.jsonl";
    WriteFile(file, input);
    BuildReference({file}, tmp / "reference");
    IndexContents reference = ReadContents(tmp / "reference");
    REQUIRE(reference.doc_count == 2300);

    RunOutput sequential = RunIndex({"--threads", "1", "--db", tmp / "db-1", file});
    REQUIRE(sequential.exit_code == kExitRejected);
    std::vector<std::string> messages = RecordMessages(sequential.err, file);
    REQUIRE(messages.size() > 10);
    CHECK(ReadContents(tmp / "db-1/CURRENT") == reference);
    for (const char* threads : {"2", "4"}) {
        CAPTURE(threads);
        const std::string db = tmp / (std::string("db-") + threads);
        RunOutput run = RunIndex({"--threads", threads, "--db", db, file});
        CHECK(run.exit_code == kExitRejected);
        CHECK(RecordMessages(run.err, file) == messages);
        CHECK(ReadContents(db + "/CURRENT") == reference);
    }
}

}  // namespace
}  // namespace tnohaku
