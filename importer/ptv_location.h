// PTV addresses → tnohaku locations.
//
// A service location channel lists addresses; the visiting ones (type "Location" or
// "Visiting" with a street address) become locations: the channel's name, street and
// number, postal code, municipality code and WGS84 coordinates converted from PTV's
// EPSG:3067 grid (coordinates.h). What ReadLocation leaves out, and says so:
//   - coordinates "0" or missing: unknown, so no lat/lon (silently);
//   - coordinates that convert outside Finland, or that are the generated sample point
//     (61.6887 N, 27.2721 E) the v9 sample data carries: no lat/lon, with a warning;
//   - a municipality code the vocabulary does not know, or none at all: the post office
//     name is matched against municipality names (fi/sv/en, case-insensitively); when that
//     fails the location is kept without a municipality, with a warning.
// Postal addresses (PO boxes), `otherAddress` points (generated in the v9 samples) and
// entrances are not read.
//
// Thread safety: MunicipalityNames is immutable after construction; share it freely.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "core/record.h"
#include "core/vocab.h"
#include "importer/diagnostics.h"

namespace tnohaku::importer {

// Municipality names (fi, sv and en labels of the vocabulary) → code, matched without
// regard to case ("VÄHÄKYRÖ" is not a municipality, "VAASA" and "VASA" are).
class MunicipalityNames {
  public:
    explicit MunicipalityNames(const Vocabulary& vocab);
    // The code of the municipality called `name`, or "" when there is none.
    std::string Find(std::string_view name) const;

  private:
    std::map<std::string, std::string, std::less<>> by_folded_name_;
};

// What ReadLocation needs besides the address.
struct LocationContext {
    const Vocabulary& vocab;
    const MunicipalityNames& municipalities;
    Diagnostics& diag;
    ItemRef ref;  // the channel, for messages
};

// The location an address of channel `channel_name` describes; nullopt when the address
// is not a visiting address with a street.
std::optional<Location> ReadLocation(const rapidjson::Value& address,
                                     const std::string& channel_name, const LocationContext& ctx);

// Whether a WGS84 point is the generated sample point of the v9 data (within ~50 m).
bool IsGeneratedSamplePoint(double lat, double lon);

}  // namespace tnohaku::importer
