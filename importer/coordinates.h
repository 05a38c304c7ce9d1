// Coordinates: ETRS-TM35FIN (EPSG:3067, the Finnish national grid that PTV uses) to and
// from WGS84 degrees.
//
// ETRS-TM35FIN is a transverse Mercator projection of the GRS80 ellipsoid with central
// meridian 27°E, scale factor 0.9996 on that meridian and false easting 500,000 m (false
// northing 0). The conversion uses the Krüger series in the third flattening n to the
// fourth order, as published for this projection in the Finnish public-administration
// recommendation JHS 154: well under a millimetre of error across Finland. ETRS89 and
// WGS84 differ by less than a metre here, which this project treats as equal.
//
// PTV writes the grid coordinates as strings with `latitude` holding the northing and
// `longitude` the easting; ParseGridCoordinate reads one such string ("0" means unknown).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace tnohaku::importer {

struct GridPoint {
    double northing = 0;  // metres, EPSG:3067 N
    double easting = 0;   // metres, EPSG:3067 E (500,000 on 27°E)
};

struct GeoPoint {
    double lat = 0;  // WGS84 degrees north
    double lon = 0;  // WGS84 degrees east
};

// Inverse projection: grid metres → degrees.
GeoPoint GridToWgs84(const GridPoint& grid);
// Forward projection: degrees → grid metres (used to check the inverse and by tests).
GridPoint Wgs84ToGrid(const GeoPoint& geo);

// A PTV coordinate string as a number; nullopt when empty, not a number, or "0"
// (PTV's "unknown").
std::optional<double> ParseGridCoordinate(std::string_view text);

}  // namespace tnohaku::importer
