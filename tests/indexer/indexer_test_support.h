// Helpers for the indexer tests: run an indexing run in-process or the real binary, read
// what an index holds, and generate many records.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/indexing.h"
#include "indexer/options.h"
#include "test_support.h"

namespace tnohaku::testing {

struct RunOutput {
    int exit_code = -1;
    std::string err;  // everything the run wrote to stderr
};

// Runs tnohaku-index in this process with the given arguments (without the program name).
inline RunOutput RunIndex(const std::vector<std::string>& args) {
    RunOutput out;
    auto command_line = indexer::ParseCommandLine(args);
    if (!command_line.ok()) {
        out.exit_code = indexer::kExitFailure;
        out.err = command_line.status().message();
        return out;
    }
    std::ostringstream err;
    out.exit_code = indexer::RunIndexer(command_line->options, err);
    out.err = err.str();
    return out;
}

// Starts the real binary with stdout and stderr going to `output_path`. With
// `max_file_bytes`, no file it writes may grow beyond that: writes fail with EFBIG, as
// they would on a full disk.
inline pid_t SpawnIndexBinary(const std::vector<std::string>& args, const std::string& output_path,
                              std::optional<rlim_t> max_file_bytes = std::nullopt) {
    std::string program = BinaryPath("indexer/tnohaku-index");
    std::vector<std::string> all{program};
    all.insert(all.end(), args.begin(), args.end());
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
        }
        if (max_file_bytes) {
            ::signal(SIGXFSZ, SIG_IGN);
            struct rlimit limit {
                *max_file_bytes, *max_file_bytes
            };
            ::setrlimit(RLIMIT_FSIZE, &limit);
        }
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

// Runs the real binary to the end: its exit code (or 128 + signal) and its output.
inline RunOutput RunIndexBinary(const std::vector<std::string>& args, const TempDir& tmp,
                                std::optional<rlim_t> max_file_bytes = std::nullopt) {
    std::string output_path = tmp / "binary-output.txt";
    pid_t pid = SpawnIndexBinary(args, output_path, max_file_bytes);
    int status = 0;
    ::waitpid(pid, &status, 0);
    RunOutput out;
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    out.err = ReadFile(output_path);
    return out;
}

// Every document of an index by record id → its data (the record's JSON).
inline std::map<std::string, std::string> Documents(const std::string& db_path) {
    std::map<std::string, std::string> out;
    Xapian::Database db(db_path);
    for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it) {
        Xapian::docid id = *db.postlist_begin(*it);
        out[(*it).substr(1)] = db.get_document(id).get_data();
    }
    return out;
}

// The lines of `text` that start with `prefix`.
inline std::vector<std::string> LinesStartingWith(const std::string& text,
                                                  const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) out.push_back(line);
    }
    return out;
}

// `count` valid, varied records (JSONL), deterministic for a seed.
inline std::string GenerateRecords(size_t count, unsigned seed = 7) {
    static const char* kWords[] = {
        "ohjaus",         "neuvonta",       "nuorten",         "työnhaku",    "opiskelu",
        "urasuunnittelu", "palvelupiste",   "maahanmuuttajat", "koulutus",    "aikuiset",
        "työllisyys",     "kotoutuminen",   "osaaminen",       "jatkuva",     "oppiminen",
        "verkko-ohjaus",  "työpaja",        "valmennus",       "hakeminen",   "yrittäjyys",
        "hyvinvointi",    "elämänhallinta", "ammatillinen",    "korkeakoulu", "lukio",
        "opinto-ohjaaja", "työkokeilu",     "palkkatuki",      "digitaidot",  "etsivä",
        "nuorisotyö",     "kuntoutus",      "ryhmäohjaus",     "vertaistuki", "kielikoulutus",
        "suomen",         "kieli",          "urapalvelut",     "rekrytointi", "työnantajat",
        "Oulussa",        "Helsingissä",    "Tampereella",     "Turussa",     "Rovaniemellä",
        "Kuopiossa",      "Jyväskylässä"};
    static const char* kSvWords[] = {"vägledning", "unga",       "studier", "arbete",
                                     "rådgivning", "vuxna",      "karriär", "utbildning",
                                     "tjänster",   "integration"};
    static const char* kMunicipalities[] = {"564", "244", "091", "049", "092", "837",
                                            "853", "905", "698", "148", "179"};
    static const char* kTargets[] = {"youth",          "students-higher", "unemployed",
                                     "immigrants",     "employed-adults", "guidance-staff",
                                     "students-basic", "aged-50-plus"};
    static const char* kThemes[] = {"career-guidance", "study-guidance",  "job-search",
                                    "integration",     "digital",         "continuous-learning",
                                    "wellbeing",       "entrepreneurship"};
    static const char* kTypes[] = {"service", "project", "network", "programme"};
    std::mt19937 rng(seed);
    auto pick = [&](const auto& list) { return std::string(list[rng() % std::size(list)]); };
    auto sentence = [&](size_t words, const auto& list) {
        std::string s;
        for (size_t i = 0; i < words; ++i) {
            if (i > 0) s += ' ';
            s += pick(list);
        }
        return s;
    };
    std::string out;
    for (size_t i = 0; i < count; ++i) {
        std::string area = rng() % 5 == 0
                               ? R"({"national":true})"
                               : R"({"municipalities":[")" + pick(kMunicipalities) + R"("]})";
        out += R"({"id":"gen-)" + std::to_string(i) + R"(","type":")" + pick(kTypes) +
               R"(","name":{"fi":")" + sentence(3, kWords) + " " + std::to_string(i) +
               R"(","sv":")" + sentence(2, kSvWords) + R"("},"summary":{"fi":")" +
               sentence(12, kWords) + R"("},"description":{"fi":")" + sentence(40, kWords) +
               R"("},"area":)" + area + R"(,"target_groups":[")" + pick(kTargets) +
               R"("],"themes":[")" + pick(kThemes) +
               R"("],"channels":["online"],"period":{"start":"20)" +
               std::to_string(10 + rng() % 15) + R"("}})" + "\n";
    }
    return out;
}

}  // namespace tnohaku::testing
