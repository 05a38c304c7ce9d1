// EPSG:3067 (ETRS-TM35FIN) ↔ WGS84 against points worked out independently.
#include "importer/coordinates.h"

#include <cmath>

#include <doctest/doctest.h>

namespace tnohaku::importer {
namespace {

// The GRS80 meridian arc from the equator to 60°N, integrated numerically (midpoint rule,
// 200,000 steps) from M(φ) = a(1 − e²) / (1 − e² sin²φ)^{3/2}: 6,654,072.819 m. On the
// central meridian the grid northing is that times the scale 0.9996.
constexpr double kNorthingAt60OnCentralMeridian = 0.9996 * 6654072.819367;

TEST_CASE("a point on the central meridian: 60°N 27°E") {
    GeoPoint p = GridToWgs84({kNorthingAt60OnCentralMeridian, 500000});
    CHECK(p.lat == doctest::Approx(60.0).epsilon(1e-9));
    CHECK(p.lon == doctest::Approx(27.0).epsilon(1e-12));
    GridPoint g = Wgs84ToGrid({60.0, 27.0});
    CHECK(std::abs(g.northing - kNorthingAt60OnCentralMeridian) < 0.001);
    CHECK(std::abs(g.easting - 500000) < 0.001);
}

TEST_CASE("Helsinki: N 6673000 E 386000 is about 60.178 N 24.945 E (near the cathedral)") {
    GeoPoint p = GridToWgs84({6673000, 386000});
    CHECK(p.lat == doctest::Approx(60.177920).epsilon(1e-7));
    CHECK(p.lon == doctest::Approx(24.944906).epsilon(1e-7));
}

TEST_CASE("Merimasku school, far west of the central meridian") {
    // The PTV sample's Iskolantie 9, 21160 Merimasku.
    GeoPoint p = GridToWgs84({6714797.374, 218257.487});
    CHECK(std::abs(p.lat - 60.4705) < 0.001);
    CHECK(std::abs(p.lon - 21.8724) < 0.001);
}

TEST_CASE("forward and inverse agree to a millimetre across Finland") {
    for (GeoPoint geo : {GeoPoint{59.8, 19.5}, GeoPoint{60.17, 24.95}, GeoPoint{65.0, 25.47},
                         GeoPoint{69.9, 27.0}, GeoPoint{62.6, 31.5}, GeoPoint{70.09, 20.6}}) {
        CAPTURE(geo.lat);
        CAPTURE(geo.lon);
        GridPoint grid = Wgs84ToGrid(geo);
        GeoPoint back = GridToWgs84(grid);
        // 1e-8 degrees is about a millimetre.
        CHECK(std::abs(back.lat - geo.lat) < 1e-8);
        CHECK(std::abs(back.lon - geo.lon) < 1e-8);
    }
}

TEST_CASE("the Helsinki point forward: 60.17 N 24.95 E → N 6672109.5 E 386255.2") {
    GridPoint g = Wgs84ToGrid({60.17, 24.95});
    CHECK(std::abs(g.northing - 6672109.48) < 0.05);
    CHECK(std::abs(g.easting - 386255.15) < 0.05);
}

TEST_CASE("PTV coordinate strings") {
    CHECK(ParseGridCoordinate("6714797.374") == doctest::Approx(6714797.374));
    CHECK(ParseGridCoordinate(" 503879 ") == doctest::Approx(503879));
    CHECK_FALSE(ParseGridCoordinate("0").has_value());
    CHECK_FALSE(ParseGridCoordinate("0.0").has_value());
    CHECK_FALSE(ParseGridCoordinate("").has_value());
    CHECK_FALSE(ParseGridCoordinate("n/a").has_value());
    CHECK_FALSE(ParseGridCoordinate("123abc").has_value());
}

}  // namespace
}  // namespace tnohaku::importer
