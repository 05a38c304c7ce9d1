// OrganisationNames: the name of every organisation facet code of one database revision,
// and the order the facet lists them in.
//
// The organisation facet labels a code by the name a record gives it, and lists values
// of equal count by name, then code (byte order). A response lists every organisation
// (thousands), so the names are read once per revision (one document per code, a few
// thousand reads) and each code gets its rank in that order: sorting a response's values
// compares integers, not strings.
//
// Thread safety: immutable after Read; share it freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace tnohaku {

class OrganisationNames {
  public:
    // Every organisation code of `db` (terms kOrganisationPrefix + code) with its name: the
    // name of that organisation in the first record holding the code, else the code itself.
    // Throws Xapian::Error as the database does.
    static OrganisationNames Read(const Xapian::Database& db);

    // The position of `code`, or nullopt for a code the revision does not have.
    std::optional<uint32_t> Find(std::string_view code) const;
    // The same for codes looked up in byte order: the search starts at *from, and *from
    // is left where `code` is or would be (tried there first: dense lists cost one
    // comparison a code).
    std::optional<uint32_t> Find(std::string_view code, uint32_t* from) const;
    const std::string& Code(uint32_t position) const { return entries_[position].code; }
    // The name of the code at `position` (never empty).
    const std::string& Label(uint32_t position) const { return entries_[position].label; }
    // Code and label are plain text (IsPlainText of core/html.h).
    bool Plain(uint32_t position) const { return entries_[position].plain; }
    // The place of the code at `position` in (name, code) order.
    uint32_t Rank(uint32_t position) const { return entries_[position].rank; }
    // The place (label, code) would take in that order: how many codes come before it.
    uint32_t RankBefore(std::string_view label, std::string_view code) const;
    size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        std::string code;
        std::string label;
        uint32_t rank = 0;
        bool plain = false;
    };
    std::vector<Entry> entries_;     // by code
    std::vector<uint32_t> by_rank_;  // positions in (name, code) order
};

}  // namespace tnohaku
