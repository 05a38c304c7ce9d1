// The built tnohaku-import program, run as a person would: exit codes, stdout, stderr.
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <doctest/doctest.h>

#include "importer/cli.h"
#include "test_support.h"

namespace tnohaku::importer {
namespace {

struct Run {
    int exit_code = -1;
    std::string out, err;
};

// Runs the program with `args` (already shell-quoted where needed).
Run RunProgram(const std::string& args) {
    testing::TempDir dir;
    std::string command = testing::BinaryPath("importer/tnohaku-import") + " " + args + " > " +
                          (dir / "out") + " 2> " + (dir / "err");
    int status = std::system(command.c_str());
    Run run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = testing::ReadFile(dir / "out");
    run.err = testing::ReadFile(dir / "err");
    return run;
}

size_t Lines(const std::string& text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_CASE("tnohaku-import ptv-json data/ptv-json: exit 0 and one line per service") {
    Run run = RunProgram("ptv-json " + testing::SourcePath("data/ptv-json"));
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(Lines(run.out) == 32);
    CHECK(run.out.rfind("{\"id\":\"ptv-", 0) == 0);
    CHECK(run.err.find("wrote 32 records") != std::string::npos);
}

TEST_CASE("both sources in one run: merged, sorted, deterministic") {
    std::string args = "ptv-json " + testing::SourcePath("data/ptv-json") + " ptv-export " +
                       testing::SourcePath("data/ptv-export/services.jsonl");
    Run first = RunProgram(args);
    CAPTURE(first.err);
    CHECK(first.exit_code == 0);
    CHECK(Lines(first.out) == 1821);
    CHECK(RunProgram(args + " --quiet").out == first.out);
}

TEST_CASE("a missing input: exit 1, the path named, nothing written") {
    std::string missing = testing::SourcePath("data/no-such-folder");
    Run run = RunProgram("ptv-json " + missing);
    CHECK(run.exit_code == 1);
    CHECK(run.out.empty());
    CHECK(run.err.find(missing) != std::string::npos);

    Run export_run = RunProgram("ptv-export " + missing + ".jsonl");
    CHECK(export_run.exit_code == 1);
    CHECK(export_run.err.find(missing + ".jsonl") != std::string::npos);
}

TEST_CASE("skipped items: exit 2, each named by file and line") {
    testing::TempDir dir;
    testing::WriteFile(
        dir / "rows.jsonl",
        R"({"ptv_id":"11111111-2222-3333-4444-555555555555","name":"Hyvä","summary":"S","scope":"national","labels":[]})"
        "\nnot json\n");
    Run run = RunProgram("ptv-export " + (dir / "rows.jsonl"));
    CHECK(run.exit_code == 2);
    CHECK(Lines(run.out) == 1);
    CHECK(run.err.find(dir / "rows.jsonl" + ":2: not a JSON object") != std::string::npos);
}

TEST_CASE("usage errors and --help") {
    Run unknown = RunProgram("csv somefile");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("unknown format 'csv'") != std::string::npos);
    CHECK(RunProgram("").exit_code == 1);
    CHECK(RunProgram("ptv-json").exit_code == 1);
    CHECK(RunProgram("--frobnicate ptv-json x").exit_code == 1);

    Run help = RunProgram("--help");
    CHECK(help.exit_code == 0);
    for (const char* part :
         {"ptv-json", "ptv-export", "--quiet", "Exit codes", "2  some items skipped"}) {
        CHECK_MESSAGE(help.out.find(part) != std::string::npos, part);
    }
}

TEST_CASE("RunCli in-process writes to the given streams") {
    std::ostringstream out, err;
    CHECK(RunCli({"ptv-json", testing::SourcePath("data/ptv-json/v11")}, out, err) == kExitOk);
    CHECK(Lines(out.str()) == 2);
}

}  // namespace
}  // namespace tnohaku::importer
