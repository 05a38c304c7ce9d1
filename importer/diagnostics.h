// Diagnostics: what the importer tells the person running it, besides the records.
//
// Every reader and the merge step report here instead of printing: the program prints the
// messages (stderr) and derives its exit code from them, the tests inspect them. Messages
// name where the problem is ("data/ptv-export/services.jsonl:12: ..." or
// "FILE: ptv_id=…: field 'x': reason"), then what was done about it.
//
// Two kinds: a warning is a problem worked around (an unknown code dropped, a coordinate
// left out) and the item is still imported; a skip is an item left out altogether, which
// makes the program exit with 2.
//
// Thread safety: none; one instance per import run.
#pragma once

#include <string>
#include <vector>

namespace tnohaku::importer {

class Diagnostics {
  public:
    struct Message {
        bool skip;  // true: an item was left out; false: a warning
        std::string text;
    };

    void Warn(std::string text) { messages_.push_back({false, std::move(text)}); }
    void Skip(std::string text) {
        messages_.push_back({true, std::move(text)});
        ++skipped_;
    }

    // All messages, in the order they were reported.
    const std::vector<Message>& messages() const { return messages_; }
    // How many items were left out.
    size_t skipped() const { return skipped_; }

  private:
    std::vector<Message> messages_;
    size_t skipped_ = 0;
};

// Where an item comes from, for messages: the file (with ":line" for JSONL) and its PTV id.
struct ItemRef {
    std::string origin;
    std::string ptv_id;

    // "origin: ptv_id=…: " (the id part left out when unknown).
    std::string Prefix() const {
        return origin + ": " + (ptv_id.empty() ? std::string() : "ptv_id=" + ptv_id + ": ");
    }
};

}  // namespace tnohaku::importer
