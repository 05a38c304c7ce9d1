#include "core/geo.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <doctest/doctest.h>

namespace tnohaku {
namespace {

const GeoPoint kHelsinki{60.1699, 24.9384};
const GeoPoint kEspoo{60.2055, 24.6559};
const GeoPoint kTurku{60.4518, 22.2666};
const GeoPoint kUtsjoki{69.9079, 27.0265};

bool ByHaversine(const GeoPoint& center, double radius_km, double lat, double lon) {
    return HaversineKm(center.lat, center.lon, lat, lon) <= radius_km;
}

}  // namespace

TEST_CASE("a radius check agrees with the haversine distance everywhere on the sphere") {
    std::mt19937_64 rng(6);
    std::uniform_real_distribution<double> lat(-90, 90), lon(-180, 180), unit(0, 1);
    for (int i = 0; i < 20000; ++i) {
        const GeoPoint center{lat(rng), lon(rng)};
        // Radii from a few metres to more than half the earth's circumference.
        const double radius = std::pow(10.0, -2 + 6.5 * unit(rng));
        const RadiusCheck check(center, radius);
        for (int j = 0; j < 8; ++j) {
            // Half the locations near the centre, where the answer is close either way.
            double la = lat(rng), lo = lon(rng);
            if (j % 2 == 0) {
                const double spread = std::min(180.0, 3 * radius / 111.0);
                la = std::clamp(center.lat + spread * (unit(rng) - 0.5), -90.0, 90.0);
                lo = center.lon + spread * (unit(rng) - 0.5);
                if (lo > 180) lo -= 360;
                if (lo < -180) lo += 360;
            }
            CAPTURE(center.lat);
            CAPTURE(center.lon);
            CAPTURE(radius);
            CAPTURE(la);
            CAPTURE(lo);
            CHECK(check.Within(la, lo) == ByHaversine(center, radius, la, lo));
        }
    }
}

TEST_CASE(
    "a radius check keeps locations on its boundary, across the antimeridian and at the poles") {
    // A location exactly at the radius is within it.
    const double to_espoo = HaversineKm(kHelsinki.lat, kHelsinki.lon, kEspoo.lat, kEspoo.lon);
    CHECK(RadiusCheck(kHelsinki, to_espoo).Within(kEspoo.lat, kEspoo.lon));
    CHECK_FALSE(RadiusCheck(kHelsinki, to_espoo * (1 - 1e-6)).Within(kEspoo.lat, kEspoo.lon));
    // 179.9° E and 179.9° W are 22 km apart at 60° N.
    CHECK(RadiusCheck({60, 179.9}, 15).Within(60, -179.9));
    CHECK_FALSE(RadiusCheck({60, 179.9}, 5).Within(60, -179.9));
    // At a pole every longitude is as near.
    CHECK(RadiusCheck({90, 0}, 200).Within(88.5, 137));
    CHECK(RadiusCheck({-89.9, 10}, 30).Within(-89.9, -170));
    // A radius beyond half the circumference takes in the whole sphere.
    CHECK(RadiusCheck(kHelsinki, 30000).Within(-60.1699, -155.0616));
}

TEST_CASE("a radius check near Helsinki turns Turku away without the trigonometry") {
    // Turku is inside the latitude band of a 40 km circle around Helsinki but 150 km
    // away: the longitude band leaves it out before any distance is computed.
    const RadiusCheck check(kHelsinki, 40);
    CHECK(check.InBands(kEspoo.lat, kEspoo.lon));
    CHECK(check.Within(kEspoo.lat, kEspoo.lon));
    CHECK(std::abs(kTurku.lat - kHelsinki.lat) < 40 / 111.0);
    CHECK_FALSE(check.InBands(kTurku.lat, kTurku.lon));
    CHECK_FALSE(check.InBands(kUtsjoki.lat, kUtsjoki.lon));
    CHECK(RadiusCheck(kHelsinki, 160).Within(kTurku.lat, kTurku.lon));
    // The bands are tight: a point just outside the circle's widest longitude is out,
    // one just inside is in (the exact test would say the same of both).
    CHECK(check.InBands(kHelsinki.lat, kHelsinki.lon + 0.70));
    CHECK_FALSE(check.InBands(kHelsinki.lat, kHelsinki.lon + 0.76));
}

}  // namespace tnohaku
