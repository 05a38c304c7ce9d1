#include "importer/coordinates.h"

#include <array>
#include <charconv>
#include <cmath>
#include <numbers>

namespace tnohaku::importer {
namespace {

// GRS80 and the ETRS-TM35FIN projection parameters.
constexpr double kSemiMajorAxis = 6378137.0;
constexpr double kFlattening = 1.0 / 298.257222101;
constexpr double kScale = 0.9996;
constexpr double kCentralMeridianDeg = 27.0;
constexpr double kFalseEasting = 500000.0;

double Radians(double deg) {
    return deg * std::numbers::pi / 180.0;
}
double Degrees(double rad) {
    return rad * 180.0 / std::numbers::pi;
}

// The quantities both directions share.
struct Ellipsoid {
    double n;   // third flattening f / (2 - f)
    double e;   // first eccentricity
    double a1;  // radius of the rectifying sphere, a / (1 + n) · (1 + n²/4 + n⁴/64)
};

Ellipsoid Grs80() {
    const double f = kFlattening;
    const double n = f / (2 - f);
    const double n2 = n * n;
    return {n, std::sqrt(2 * f - f * f), kSemiMajorAxis / (1 + n) * (1 + n2 / 4 + n2 * n2 / 64)};
}

// Krüger coefficients h1..h4 for the inverse direction (grid → geodetic).
std::array<double, 4> InverseCoefficients(double n) {
    const double n2 = n * n, n3 = n2 * n, n4 = n3 * n;
    return {n / 2 - 2.0 / 3 * n2 + 37.0 / 96 * n3 - 1.0 / 360 * n4,
            1.0 / 48 * n2 + 1.0 / 15 * n3 - 437.0 / 1440 * n4, 17.0 / 480 * n3 - 37.0 / 840 * n4,
            4397.0 / 161280 * n4};
}

// Krüger coefficients h1'..h4' for the forward direction (geodetic → grid).
std::array<double, 4> ForwardCoefficients(double n) {
    const double n2 = n * n, n3 = n2 * n, n4 = n3 * n;
    return {n / 2 - 2.0 / 3 * n2 + 5.0 / 16 * n3 + 41.0 / 180 * n4,
            13.0 / 48 * n2 - 3.0 / 5 * n3 + 557.0 / 1440 * n4, 61.0 / 240 * n3 - 103.0 / 140 * n4,
            49561.0 / 161280 * n4};
}

// Applies the series ξ ± Σ h_j sin(2jξ) cosh(2jη), η ± Σ h_j cos(2jξ) sinh(2jη).
void ApplySeries(const std::array<double, 4>& h, double sign, double& xi, double& eta) {
    double dxi = 0, deta = 0;
    for (int j = 1; j <= 4; ++j) {
        dxi += h[j - 1] * std::sin(2 * j * xi) * std::cosh(2 * j * eta);
        deta += h[j - 1] * std::cos(2 * j * xi) * std::sinh(2 * j * eta);
    }
    xi += sign * dxi;
    eta += sign * deta;
}

}  // namespace

GeoPoint GridToWgs84(const GridPoint& grid) {
    const Ellipsoid el = Grs80();
    double xi = grid.northing / (el.a1 * kScale);
    double eta = (grid.easting - kFalseEasting) / (el.a1 * kScale);
    ApplySeries(InverseCoefficients(el.n), -1, xi, eta);

    // Conformal latitude and longitude difference on the sphere.
    const double beta = std::asin(std::sin(xi) / std::cosh(eta));
    const double l = std::asin(std::tanh(eta) / std::cos(beta));
    // Isometric latitude, then the geodetic latitude by fixed-point iteration.
    const double q = std::asinh(std::tan(beta));
    double q_geodetic = q + el.e * std::atanh(el.e * std::tanh(q));
    for (int i = 0; i < 8; ++i) q_geodetic = q + el.e * std::atanh(el.e * std::tanh(q_geodetic));

    return {Degrees(std::atan(std::sinh(q_geodetic))), kCentralMeridianDeg + Degrees(l)};
}

GridPoint Wgs84ToGrid(const GeoPoint& geo) {
    const Ellipsoid el = Grs80();
    const double phi = Radians(geo.lat);
    const double l = Radians(geo.lon - kCentralMeridianDeg);
    const double q = std::asinh(std::tan(phi)) - el.e * std::atanh(el.e * std::sin(phi));
    const double beta = std::atan(std::sinh(q));
    double eta = std::atanh(std::cos(beta) * std::sin(l));
    double xi = std::asin(std::sin(beta) * std::cosh(eta));
    ApplySeries(ForwardCoefficients(el.n), +1, xi, eta);
    return {el.a1 * xi * kScale, el.a1 * eta * kScale + kFalseEasting};
}

std::optional<double> ParseGridCoordinate(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (value == 0 || !std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace tnohaku::importer
